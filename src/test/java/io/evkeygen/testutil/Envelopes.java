package io.evkeygen.testutil;

import io.evkeygen.internal.envelope.Envelope;
import io.evkeygen.internal.envelope.EnvelopeHeader;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.envelope.EnvelopeWriter;
import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.keyset.KeyFileKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * Rewrites key files as a careful forger would: the header changed, everything derived from it (aad,
 * integrity, hash, expires_at, canonical form) recomputed by the writer, so the reader accepts the file.
 */
public final class Envelopes {
    private Envelopes() {}

    /** The verified envelope of {@code file} (its header, and the SHA-256 of its key data). */
    public static Envelope envelope(Path file, KeyFileKind kind) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return EnvelopeReader.read(in, kind, null);
        }
    }

    public static EnvelopeHeader header(Path file, KeyFileKind kind) throws IOException {
        return envelope(file, kind).header();
    }

    /** Rewrites {@code file} with {@code change} applied to its header; the key data stays. */
    public static void rewrite(Path file, KeyFileKind kind, UnaryOperator<EnvelopeHeader> change) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Envelope env;
        try (InputStream in = Files.newInputStream(file)) {
            env = EnvelopeReader.read(in, kind, data);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            EnvelopeWriter.write(change.apply(env.header()), BinSource.ofBytes(data.toByteArray()), out);
        }
    }

    /** Rewrites {@code file} as created at {@code createdAt} (so it expires 1825 days later). */
    public static void createdAt(Path file, KeyFileKind kind, Instant createdAt) throws IOException {
        rewrite(file, kind, h -> new EnvelopeHeader(h.kind(), h.kid(), createdAt, h.requester(), h.evalMode(),
                h.parameters(), h.seal(), h.encKeySha256()));
    }

    /** Rewrites the MetadataKey.json {@code file} bound to the EncKey.bin with SHA-256 {@code encKeySha256}. */
    public static void bindTo(Path file, byte[] encKeySha256) throws IOException {
        rewrite(file, KeyFileKind.METADATAKEY, h -> new EnvelopeHeader(h.kind(), h.kid(), h.createdAt(), h.requester(),
                h.evalMode(), h.parameters(), h.seal(), encKeySha256));
    }
}
