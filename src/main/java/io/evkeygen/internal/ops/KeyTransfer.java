package io.evkeygen.internal.ops;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.envelope.Envelope;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.keydir.LocalKeyStore;
import io.evkeygen.internal.keydir.ResealJournal;
import io.evkeygen.internal.verify.KeySetVerifier;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeyFileSink;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Moves key sets between stores: upload a verified local directory, download (all parts or a
 * subset) into a local directory verified before it is committed.
 */
public final class KeyTransfer {
    private KeyTransfer() {}

    /**
     * Verifies the key directory {@code dir} (every envelope and key equation), then saves its files
     * to {@code to} under {@code keyId}.
     */
    public static String upload(Path dir, KeyStore to, String keyId) throws IOException {
        ResealJournal.recover(dir); // reading the set to ship it opens it for use
        KeySetVerifier.verify(dir);
        LocalKeyStore from = new LocalKeyStore(dir);
        return copy(from, null, from.parts(null), to, keyId);
    }

    /**
     * Copies the {@code kinds} of {@code keyId} from {@code from} into the local store as
     * {@code localId} and verifies them in the staging directory, before the directory is committed:
     * a complete set (SecKey, EncKey, EvalKey) with every key equation, a subset envelope by envelope
     * (hash, aad, integrity, one kid). A failed check leaves nothing behind.
     *
     * @return the local key directory
     */
    public static Path download(KeyStore from, String keyId, Set<KeyFileKind> kinds, LocalKeyStore to, String localId)
            throws IOException {
        Set<KeyFileKind> present = from.parts(keyId);
        Set<KeyFileKind> wanted = kinds == null || kinds.isEmpty() ? present : EnumSet.copyOf(kinds);
        if (kinds == null || kinds.isEmpty()) {
            if (!present.containsAll(KeyFileKind.REQUIRED)) {
                throw new KeygenException(KeygenException.Kind.STORE, "key id " + keyId + " is not a complete key set"
                        + " (present: " + present + ")");
            }
        } else if (!present.containsAll(wanted)) {
            EnumSet<KeyFileKind> missing = EnumSet.copyOf(wanted);
            missing.removeAll(present);
            throw new KeygenException(KeygenException.Kind.STORE, "key id " + keyId + " has no " + missing);
        }
        to.save(localId, sink -> {
            copyParts(from, keyId, wanted, sink);
            Path dir = sink.filesDirectory();
            if (dir != null) {
                verify(dir, wanted);
            }
        });
        return to.directory(localId);
    }

    /** Copies the given parts of {@code fromId} into {@code to} as {@code toId}: all or nothing. */
    public static String copy(KeyStore from, String fromId, Set<KeyFileKind> kinds, KeyStore to, String toId)
            throws IOException {
        return to.save(toId, sink -> copyParts(from, fromId, kinds, sink));
    }

    private static void copyParts(KeyStore from, String fromId, Set<KeyFileKind> kinds, KeyFileSink sink)
            throws IOException {
        for (KeyFileKind kind : kinds) {
            try (InputStream in = from.open(fromId, kind); OutputStream out = sink.open(kind)) {
                in.transferTo(out);
            }
        }
    }

    /** Full verification for a complete set, envelope checks and one kid across files for a subset. */
    public static void verify(Path dir, Set<KeyFileKind> kinds) throws IOException {
        if (kinds.containsAll(KeyFileKind.REQUIRED)) {
            KeySetVerifier.verify(dir);
            return;
        }
        String kid = null;
        for (KeyFileKind kind : kinds) {
            Path file = dir.resolve(kind.fileName());
            Envelope env;
            try (InputStream in = Files.newInputStream(file)) {
                env = EnvelopeReader.read(in, kind, OutputStream.nullOutputStream(), kind.fileName());
            }
            String k = env.header().kid();
            if (kid != null && !kid.equals(k)) {
                throw KeygenException.invalidKey(kind.fileName() + " belongs to kid " + k + ", not " + kid);
            }
            kid = k;
        }
    }
}
