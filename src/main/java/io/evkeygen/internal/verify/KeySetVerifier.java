package io.evkeygen.internal.verify;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.envelope.Envelope;
import io.evkeygen.internal.envelope.EnvelopeHeader;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.envelope.Expiry;
import io.evkeygen.internal.keydir.KeyDirectories;
import io.evkeygen.internal.keydir.ResealJournal;
import io.evkeygen.internal.layout.BinData;
import io.evkeygen.internal.layout.BinLayout;
import io.evkeygen.internal.layout.SecKeyBin;
import io.evkeygen.internal.seal.LegacyMetadataKeys;
import io.evkeygen.internal.seal.MetadataKeyFiles;
import io.evkeygen.internal.seal.Sealing;
import io.evkeygen.internal.seal.SecretFiles;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.VerificationReport;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.spi.KekProvider;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Checks every file of a key directory and every key equation of the spec: envelopes (hash, aad,
 * integrity, kinds, one kid and one parameter set across files), binary layouts, and with the
 * secret every key equation, with the error bounded by {@link Parameters#VERIFY_ERROR_BOUND}.
 */
public final class KeySetVerifier {
    /** EvalKey data larger than this is decoded to a temporary file instead of memory. */
    static final long IN_MEMORY_LIMIT = 64L << 20;

    private KeySetVerifier() {}

    /** Verifies an unsealed key set (a sealed one is checked without its key equations). */
    public static VerificationReport verify(Path dir) throws IOException {
        return verify(dir, (KekProvider) null);
    }

    /**
     * Verifies the key set in {@code dir}; {@code kek} (32 bytes, may be null) opens a sealed SecKey.
     *
     * @throws KeygenException INVALID_KEY naming the file and the failed check, UNSEAL for a wrong KEK
     */
    public static VerificationReport verify(Path dir, byte[] kek) throws IOException {
        if (kek == null) {
            return verify(dir, (KekProvider) null);
        }
        try (KekProvider provider = KekProvider.aes(kek)) {
            return verify(dir, provider);
        }
    }

    /**
     * Verifies the key set in {@code dir}; {@code kek} (may be null) opens sealed secrets. Without
     * it a sealed set is checked except for what needs the secret ({@link VerificationReport#secretChecked()}).
     * Never writes: a reseal interrupted by a crash is checked as its roll-back would leave the set
     * (the journaled secret files) and reported ({@link VerificationReport#resealInterrupted()}).
     */
    public static VerificationReport verify(Path dir, KekProvider kek) throws IOException {
        return verify(dir, kek, Clock.systemUTC());
    }

    /** As {@link #verify(Path, KekProvider)}, judging expiry by {@code clock}. */
    public static VerificationReport verify(Path dir, KekProvider kek, Clock clock) throws IOException {
        KeyDirectories.requireDirectory(dir);
        List<String> files = new ArrayList<>();
        Decoded sec = readSmall(dir, KeyFileKind.SECKEY, files);
        Envelope secEnv = sec.envelope();
        Parameters params = secEnv.header().parameters();
        Expiry expiry = new Expiry(dir, clock); // every file's expires_at; the set expires with the earliest
        expiry.check(secEnv.header());
        byte[] secret = null;
        try {
            secret = openSecret(params, secEnv, sec.data(), kek);
            Decoded enc = readSmall(dir, KeyFileKind.ENCKEY, files);
            sameSet(secEnv, enc.envelope());
            expiry.check(enc.envelope().header());
            try (EvalKeyData eval = readEvalKey(dir, secEnv, files)) {
                expiry.check(eval.header);
                Path metaFile = ResealJournal.effectiveFile(dir, KeyFileKind.METADATAKEY);
                if (Files.exists(metaFile, LinkOption.NOFOLLOW_LINKS)) {
                    Decoded meta = readMetadataKey(dir, files);
                    sameSet(secEnv, meta.envelope());
                    expiry.check(meta.envelope().header());
                    MetadataKeyFiles.belongsTo(KeyFileKind.METADATAKEY.fileName(), meta.envelope().header(),
                            new MetadataKeyFiles.SetAnchor(secEnv.header().kid(), params, enc.envelope().sha256(),
                                    secEnv.header().seal() != null));
                    checkMetadataKey(meta.envelope(), meta.data(), kek);
                    Arrays.fill(meta.data(), (byte) 0);
                }
                BinChecks.Result r = BinChecks.check(params, secret, BinData.of(enc.data()), eval.bin, eval.mode);
                return new VerificationReport(params, eval.mode, r.dims(), files, r.keysChecked(), r.maxError(),
                        secret != null, secEnv.header().seal() != null, ResealJournal.interrupted(dir),
                        expiry.earliest());
            }
        } finally {
            Arrays.fill(sec.data(), (byte) 0);
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    /**
     * The largest EvalKey data decoded to memory: {@link #IN_MEMORY_LIMIT}, or a quarter of the heap
     * when that is smaller, so a small heap (a register under -Xmx24m) spills rather than running out.
     */
    static long inMemoryLimit() {
        return Math.min(IN_MEMORY_LIMIT, Runtime.getRuntime().maxMemory() / 4);
    }

    /** The EvalKey's header, mode and decoded data (in memory, or in an unlinked scratch file). */
    private record EvalKeyData(EnvelopeHeader header, EvalMode mode, BinData bin) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            bin.close();
        }
    }

    private static EvalKeyData readEvalKey(Path dir, Envelope secEnv, List<String> files) throws IOException {
        Path file = requireFile(dir.resolve(KeyFileKind.EVALKEY.fileName()));
        long size = Files.size(file);
        Envelope env;
        EvalKeyData data;
        if (size / 4 * 3 > inMemoryLimit()) {
            FileChannel spill = BinData.anonymousFile("evkeygen-verify-");
            try (InputStream in = Files.newInputStream(file)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(spill), 1 << 16);
                env = read(file, in, KeyFileKind.EVALKEY, out);
                out.flush();
            } catch (IOException | RuntimeException e) {
                spill.close();
                throw e;
            }
            data = new EvalKeyData(env.header(), env.header().evalMode(), BinData.of(spill));
        } else {
            ByteArrayOutputStream buf = new ByteArrayOutputStream((int) (size / 4 * 3 + 16));
            try (InputStream in = Files.newInputStream(file)) {
                env = read(file, in, KeyFileKind.EVALKEY, buf);
            }
            data = new EvalKeyData(env.header(), env.header().evalMode(), BinData.of(buf.toByteArray()));
        }
        files.add(KeyFileKind.EVALKEY.fileName());
        try {
            sameSet(secEnv, env);
        } catch (KeygenException e) {
            data.close();
            throw e;
        }
        return data;
    }

    /** A small key file read whole: its envelope and decoded key data. */
    private record Decoded(Envelope envelope, byte[] data) {}

    private static Decoded readSmall(Path dir, KeyFileKind kind, List<String> files) throws IOException {
        Path file = requireFile(ResealJournal.effectiveFile(dir, kind));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(file)) {
            Envelope env = read(file, in, kind, buf);
            files.add(kind.fileName());
            return new Decoded(env, buf.toByteArray());
        }
    }

    private static Envelope read(Path file, InputStream in, KeyFileKind kind, OutputStream sink) throws IOException {
        try {
            return EnvelopeReader.read(in, kind, sink);
        } catch (KeygenException e) {
            String msg = e.getMessage();
            String name = file.getFileName().toString();
            throw new KeygenException(e.kind(), msg.startsWith(name) ? msg : name + ": " + msg, e);
        }
    }

    /** The file, readable; a missing one makes the set incomplete, an unreadable one is an i/o error. */
    private static Path requireFile(Path file) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            String hint = file.getFileName().toString().equals(KeyFileKind.EVALKEY.fileName())
                    ? " (every complete set has one; an MM set carries the one-byte placeholder)" : "";
            throw KeygenException.invalidKey("the key set in " + file.getParent() + " is incomplete: "
                    + file.getFileName() + " is missing" + hint);
        }
        if (!attrs.isRegularFile()) {
            throw KeygenException.invalidKey(file.getFileName() + " in " + file.getParent() + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new AccessDeniedException(file.toString());
        }
        return file;
    }

    /** The decoded secret, or null when it is sealed and no KEK was given. */
    private static byte[] openSecret(Parameters params, Envelope env, byte[] keyData, KekProvider kek) {
        byte[] bin = keyData;
        if (env.header().seal() != null) {
            if (kek == null) {
                Sealing.checkWithoutKey(env.header(), keyData, (int) BinLayout.secKeyLength(params));
                return null;
            }
            bin = Sealing.open(kek, env.header(), keyData);
        }
        try {
            return SecKeyBin.decode(params, bin);
        } catch (KeygenException e) {
            throw KeygenException.invalidKey("SecKey.json: " + e.getMessage());
        } finally {
            if (bin != keyData) {
                Arrays.fill(bin, (byte) 0);
            }
        }
    }

    /** MetadataKey.json as an envelope; pyenvector's older layouts, which bind it to no set, are refused as such. */
    private static Decoded readMetadataKey(Path dir, List<String> files) throws IOException {
        try {
            return readSmall(dir, KeyFileKind.METADATAKEY, files);
        } catch (KeygenException e) {
            Path file = ResealJournal.effectiveFile(dir, KeyFileKind.METADATAKEY);
            byte[] content = e.kind() == KeygenException.Kind.INVALID_KEY ? SecretFiles.readAll(file) : new byte[0];
            try {
                if (LegacyMetadataKeys.isLegacy(content)) {
                    throw new KeygenException(KeygenException.Kind.INVALID_KEY, KeyFileKind.METADATAKEY.fileName()
                            + " is in an older pyenvector layout, which binds it to no key set: a set is verified"
                            + " only with a bound MetadataKey.json", e);
                }
            } finally {
                Arrays.fill(content, (byte) 0);
            }
            throw e;
        }
    }

    private static void checkMetadataKey(Envelope env, byte[] keyData, KekProvider kek) {
        if (env.header().seal() != null) {
            if (kek == null) {
                Sealing.checkWithoutKey(env.header(), keyData, MetadataKeyFiles.KEY_LENGTH);
                return;
            }
            byte[] key = Sealing.open(kek, env.header(), keyData);
            int len = key.length;
            Arrays.fill(key, (byte) 0);
            keyData = new byte[len];
        }
        if (keyData.length != MetadataKeyFiles.KEY_LENGTH) {
            throw KeygenException.invalidKey("MetadataKey.json: key is " + keyData.length + " bytes, expected "
                    + MetadataKeyFiles.KEY_LENGTH);
        }
    }

    private static void sameSet(Envelope sec, Envelope other) {
        String name = other.header().kind().fileName();
        if (!Objects.equals(sec.header().kid(), other.header().kid())) {
            throw KeygenException.invalidKey(name + ": key id differs from SecKey.json's");
        }
        if (!sec.header().parameters().equals(other.header().parameters())) {
            throw KeygenException.invalidKey(name + ": parameters differ from SecKey.json's");
        }
    }
}
