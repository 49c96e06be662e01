package io.evkeygen.internal.ops;

import io.evkeygen.internal.engine.KeySetSession;
import io.evkeygen.internal.envelope.EnvelopeHeader;
import io.evkeygen.internal.envelope.EnvelopeWriter;
import io.evkeygen.internal.keydir.PatchableOutput;
import io.evkeygen.internal.layout.BinLayout;
import io.evkeygen.internal.layout.EvalKeyLayout;
import io.evkeygen.internal.seal.Sealing;
import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.internal.stream.EvalKeyBuffer;
import io.evkeygen.internal.stream.ExactBytes;
import io.evkeygen.internal.stream.KeyDataEncoder;
import io.evkeygen.internal.stream.ProgressStream;
import io.evkeygen.internal.stream.Sha256Digest;
import io.evkeygen.internal.stream.StageTimer;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.params.EvalMode;
import io.evkeygen.secret.Seed;
import io.evkeygen.spi.KeyFileSink;
import io.evkeygen.spi.SealFields;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * Generates one key set into a sink: SecKey, EncKey, EvalKey and (when enabled) MetadataKey
 * envelopes, in that order. Shared by the CLI and the SDK; where the files land (directory, memory,
 * cloud) is the sink's business.
 */
public final class KeySetGenerator {
    private KeySetGenerator() {}

    /**
     * Generates and writes every envelope from {@code userSeed} (null: a fresh random one). Takes
     * ownership of the seed: it and every secret copy are zeroed before this returns.
     */
    public static void generate(KeySetRequest req, Seed userSeed, KeyFileSink sink) throws IOException {
        Seed seed = userSeed != null ? userSeed : Seed.random();
        byte[] metadataKey = null;
        byte[] encKeySha256 = null;
        byte[] secKey = null;
        try {
            Instant createdAt = req.clock().instant().truncatedTo(ChronoUnit.SECONDS);
            // Derived before the session opens: the seed is closed as soon as the engine has its streams.
            metadataKey = req.metadataEncryption() ? MetadataKeys.forSeed(seed) : null;
            long began = System.nanoTime();
            try (KeySetSession session = req.engine().open(req.parameters(), seed, req.threads())) {
                seed.close();
                StageTimer.record("open session (secret)", began);
                began = System.nanoTime();
                secKey = session.secKeyBin();
                long secLength = BinLayout.secKeyLength(req.parameters());
                if (secKey.length != secLength) {
                    throw ExactBytes.wrongLength("SecKey.bin", secKey.length, secLength);
                }
                writeSecret(req, sink, KeyFileKind.SECKEY, createdAt, secKey, null);
                Arrays.fill(secKey, (byte) 0);
                StageTimer.record("SecKey.json", began);
                began = System.nanoTime();

                byte[] encKey = ExactBytes.capture(BinLayout.encKeyLength(req.parameters()), "EncKey.bin",
                        session::writeEncKeyBin);
                encKeySha256 = sha256(req, encKey);
                write(req, sink, header(req, KeyFileKind.ENCKEY, createdAt), encKey, encKeySha256);
                StageTimer.record("EncKey.json", began);

                writeEvalKey(req, session, sink, createdAt);
            }
            if (metadataKey != null) {
                began = System.nanoTime();
                writeSecret(req, sink, KeyFileKind.METADATAKEY, createdAt, metadataKey, encKeySha256);
                StageTimer.record("MetadataKey.json", began);
            }
        } finally {
            seed.close();
            if (secKey != null) {
                Arrays.fill(secKey, (byte) 0);
            }
            if (metadataKey != null) {
                Arrays.fill(metadataKey, (byte) 0);
            }
        }
    }

    /**
     * EvalKey, the bulk of a key set (12.8 MB of data for the default list, 0.5 GB for FLAT 4096),
     * generated once into the engine's {@link KeyDataEncoder}, which hashes and base64-encodes it on
     * the engine's side of the native boundary. Into a file: one pass, the text written as it comes
     * and the hash patched in at the end. Elsewhere (memory, an upload staging area): the text is
     * kept until the hash is known, then framed.
     */
    private static void writeEvalKey(KeySetRequest req, KeySetSession session, KeyFileSink sink, Instant createdAt)
            throws IOException {
        EvalKeyLayout layout = req.evalKey();
        long length = layout.length();
        EnvelopeHeader header = header(req, KeyFileKind.EVALKEY, createdAt);
        ExactBytes.Producer producer = o -> session.writeEvalKeyBin(layout, new ProgressStream(o, length,
                req.progress()));
        KeyDataEncoder.Factory encoders = req.engine().keyDataEncoders();
        boolean parallel = req.threads() > 1;
        try (OutputStream out = sink.open(KeyFileKind.EVALKEY)) {
            if (out instanceof PatchableOutput file) {
                EnvelopeWriter.writeOnePass(header, length, producer, out, file::patch, encoders, parallel);
                return;
            }
            byte[][] sha256 = new byte[1][];
            try (EvalKeyBuffer text = EvalKeyBuffer.fill(KeyDataEncoder.textLength(length), sink.scratchDirectory(),
                    keep -> sha256[0] = EnvelopeWriter.encode(length, producer, keep, encoders, parallel))) {
                EnvelopeWriter.writeEncoded(header, sha256[0], text, out);
            }
        }
    }

    static EnvelopeHeader header(KeySetRequest req, KeyFileKind kind, Instant createdAt) {
        return header(req, kind, createdAt, null, null);
    }

    static EnvelopeHeader header(KeySetRequest req, KeyFileKind kind, Instant createdAt, SealFields seal,
                                 byte[] encKeySha256) {
        EvalMode evalMode = kind == KeyFileKind.EVALKEY ? req.evalMode() : null;
        return new EnvelopeHeader(kind, req.kid(), createdAt, req.requester(), evalMode, req.parameters(), seal,
                encKeySha256);
    }

    /** A secret file: as is, or sealed when the request has a sealer (SecKey and MetadataKey alike). */
    private static void writeSecret(KeySetRequest req, KeyFileSink sink, KeyFileKind kind, Instant createdAt,
                                    byte[] plain, byte[] encKeySha256) throws IOException {
        if (req.sealer() == null) {
            write(req, sink, header(req, kind, createdAt, null, encKeySha256), plain, sha256(req, plain));
            return;
        }
        Sealing.Sealed sealed = Sealing.seal(req.sealer(), req.parameters(), req.kid(), kind, plain);
        write(req, sink, header(req, kind, createdAt, sealed.fields(), encKeySha256), sealed.blob(),
                sha256(req, sealed.blob()));
    }

    /** One envelope, base64-encoded by the engine's encoder (the native one when it generates). */
    private static void write(KeySetRequest req, KeyFileSink sink, EnvelopeHeader header, byte[] bin, byte[] sha256)
            throws IOException {
        try (OutputStream out = sink.open(header.kind())) {
            EnvelopeWriter.write(header, BinSource.ofBytes(bin), out, req.engine().base64Encoder(), sha256);
        }
    }

    /** With the engine's SHA-256: native from the first byte, where a cold JVM would interpret the JDK's. */
    private static byte[] sha256(KeySetRequest req, byte[] data) {
        Sha256Digest digest = req.engine().newSha256();
        digest.update(data, 0, data.length);
        return digest.digest();
    }
}
