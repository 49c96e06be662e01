package io.evkeygen.server;

import io.evkeygen.KeySet;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeyStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes {@code register_key} sends: EvalKey.bin, the decoded key_data of an EvalKey.json, read
 * from a key directory or a key store. Never held whole: {@link #describe()} reads the envelope once
 * to learn its length, hash, preset and eval mode (checked against its data), and the upload reads
 * it again, streaming.
 */
public class EvalKeyPayload {
    /** Opens the EvalKey.json envelope, anew each time it is asked. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    private final String source;
    private final Opener opener;

    EvalKeyPayload(String source, Opener opener) {
        this.source = source;
        this.opener = opener;
    }

    /** The EvalKey of the key directory {@code dir} (its EvalKey.json). */
    public static EvalKeyPayload fromDirectory(Path dir) {
        Path file = dir.resolve(KeyFileKind.EVALKEY.fileName());
        return new EvalKeyPayload(file.toString(), () -> Files.newInputStream(file));
    }

    /** The EvalKey of the key set {@code keyId} in {@code store} (S3, say); the store stays open. */
    public static EvalKeyPayload fromStore(KeyStore store, String keyId) {
        return new EvalKeyPayload(keyId + "/" + KeyFileKind.EVALKEY.fileName(),
                () -> store.open(keyId, KeyFileKind.EVALKEY));
    }

    /**
     * The EvalKey whose envelope {@code opener} streams (a KMS download, say), opened once to be
     * described and again to be sent; {@code source} names it in messages.
     */
    public static EvalKeyPayload of(String source, Opener opener) {
        return new EvalKeyPayload(source, opener);
    }

    /** Where the envelope is read from, for messages. */
    public String source() {
        return source;
    }

    /**
     * Reads and verifies the envelope without keeping its data.
     *
     * @throws KeygenException INVALID_KEY when it is malformed or its hash does not check
     */
    public KeySet.EvalKeyDigest describe() throws IOException {
        return stream(null);
    }

    /** Streams EvalKey.bin to {@code out} (null: only verify); checked against the envelope at the end. */
    KeySet.EvalKeyDigest stream(OutputStream out) throws IOException {
        try (InputStream in = new BufferedInputStream(opener.open(), 1 << 16)) {
            return KeySet.readEvalKey(in, out);
        }
    }
}
