package io.evkeygen;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.envelope.Envelope;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.keydir.LocalKeyStore;
import io.evkeygen.internal.keydir.ResealJournal;
import io.evkeygen.internal.ops.Inspector;
import io.evkeygen.internal.ops.KeyTransfer;
import io.evkeygen.internal.ops.Resealer;
import io.evkeygen.internal.seal.MetadataKeyFiles;
import io.evkeygen.internal.seal.SecretFiles;
import io.evkeygen.internal.stream.SecretSink;
import io.evkeygen.internal.stream.Sha256;
import io.evkeygen.internal.verify.KeySetVerifier;
import io.evkeygen.keyset.InspectionReport;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.VerificationReport;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A verified key set loaded from a directory. Public keys are plain byte arrays; secret keys come
 * only through {@link #secretKey()} and {@link #metadataKey()}, read from disk on each call into a
 * {@link SecretBytes} the caller closes.
 */
public final class KeySet {
    private final Path dir;
    private final String kid;
    private final Parameters parameters;
    private final EvalMode evalMode;
    private final List<Integer> dims;
    private final byte[] encKey;
    private final boolean hasMetadataKey;
    private final boolean sealed;
    private final KekProvider kek;

    private KeySet(Path dir, String kid, VerificationReport report, byte[] encKey, boolean hasMetadataKey,
                   KekProvider kek) {
        this.dir = dir;
        this.kid = kid;
        this.parameters = report.parameters();
        this.evalMode = report.evalMode();
        this.dims = List.copyOf(report.dims());
        this.encKey = encKey;
        this.hasMetadataKey = hasMetadataKey;
        this.sealed = report.sealed();
        this.kek = kek;
    }

    /**
     * Verifies every file and key equation of {@code dir} ({@link KeySetVerifier}), then loads it.
     *
     * @throws KeygenException INVALID_KEY when any check fails, IO when a file is missing
     */
    public static KeySet load(Path dir) throws IOException {
        return load(dir, (KekProvider) null);
    }

    /**
     * As {@link #load(Path)} for a sealed set: {@code kek} opens the secrets, here to check the key
     * equations and later in {@link #secretKey()} and {@link #metadataKey()}. The key set keeps a
     * reference to {@code kek} (it does not close it). Without a KEK a sealed set loads, checked
     * except for its secrets, and its secret accessors fail.
     *
     * @throws KeygenException UNSEAL when the KEK cannot open the secrets (wrong key, tampered file)
     */
    public static KeySet load(Path dir, KekProvider kek) throws IOException {
        ResealJournal.recover(dir); // opening for use finishes (rolls back) an interrupted reseal
        VerificationReport report = KeySetVerifier.verify(dir, kek);
        ByteArrayOutputStream enc = new ByteArrayOutputStream();
        Envelope envelope = read(dir, KeyFileKind.ENCKEY, enc);
        boolean metadata = Files.isRegularFile(dir.resolve(KeyFileKind.METADATAKEY.fileName()));
        return new KeySet(dir, envelope.header().kid(), report, enc.toByteArray(), metadata, kek);
    }

    /**
     * Downloads the key set {@code keyId} from {@code store} (S3 and Secrets Manager, say) into
     * {@code <keyPath>/<keyId>/}, atomically and verified before it appears, then loads it.
     *
     * @throws KeygenException STORE when the store fails, TARGET_EXISTS when the local directory is taken
     */
    public static KeySet load(KeyStore store, String keyId, Path keyPath) throws IOException {
        LocalKeyStore local = new LocalKeyStore(keyPath);
        return load(KeyTransfer.download(store, keyId, null, local, keyId));
    }

    /**
     * Checks every envelope, layout and key equation of {@code dir} without loading or changing it
     * ({@code kek}, may be null, opens sealed secrets; without it they are checked except for what
     * needs the secret).
     *
     * @throws KeygenException INVALID_KEY naming the file and the failed check, UNSEAL for a wrong KEK
     */
    public static VerificationReport verify(Path dir, KekProvider kek) throws IOException {
        return KeySetVerifier.verify(dir, kek);
    }

    /** Describes {@code dir} (parameters, dims, ranks, files and hashes) without secrets and without writing. */
    public static InspectionReport inspect(Path dir, KekProvider kek) throws IOException {
        return Inspector.inspect(dir, kek);
    }

    /**
     * Re-seals SecKey.json and MetadataKey.json of {@code dir} under {@code to} (null unseals), opening
     * them with {@code from} (null: they are not sealed): both change or neither, even across a crash.
     */
    public static void reseal(Path dir, KekProvider from, KekProvider to) throws IOException {
        Resealer.reseal(dir, from, to);
    }

    /**
     * Re-seals one secret envelope held in memory (SecKey.json or MetadataKey.json as a remote store
     * keeps it): opened with {@code from} (null: not sealed), sealed under a fresh grant of {@code to},
     * checked to open to the same key, and returned; every other field is kept. The secret never leaves
     * memory and is zeroed. Storing the result ({@link KeyStore#replaceSecret}) is the caller's.
     *
     * @throws KeygenException USAGE when {@code to} is null, UNSEAL or INVALID_KEY when the envelope does
     *         not open or the resealed one does not open to the same key
     */
    public static byte[] resealEnvelope(byte[] envelope, KeyFileKind kind, KekProvider from, KekProvider to)
            throws IOException {
        return Resealer.resealEnvelope(envelope, kind, from, to);
    }

    private static Envelope read(Path dir, KeyFileKind kind, OutputStream sink) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve(kind.fileName()))) {
            return EnvelopeReader.read(in, kind, sink);
        }
    }

    public Path directory() {
        return dir;
    }

    public String keyId() {
        return kid;
    }

    public Parameters parameters() {
        return parameters;
    }

    public EvalMode evalMode() {
        return evalMode;
    }

    /** The dims the EvalKey serves (from metadata-eval.json; empty for MM). */
    public List<Integer> dims() {
        return dims;
    }

    /** EncKey.bin (public): a copy. */
    public byte[] encKeyBytes() {
        return encKey.clone();
    }

    /** EvalKey.bin (public), read from disk on each call: FLAT keys are hundreds of MB. */
    public byte[] evalKeyBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        read(dir, KeyFileKind.EVALKEY, out);
        return out.toByteArray();
    }

    /** Streams EvalKey.bin (public) to {@code out} without holding it whole. */
    public void writeEvalKeyBytes(OutputStream out) throws IOException {
        read(dir, KeyFileKind.EVALKEY, out);
    }

    /**
     * What an EvalKey.json envelope says about the EvalKey it carries, checked against its data.
     *
     * @param keyId     the envelope's kid
     * @param preset    the parameter preset name, e.g. {@code IP0}
     * @param evalMode  the EvalKey's eval mode
     * @param length    length of EvalKey.bin (the decoded key_data)
     * @param sha256Hex lower-case hex SHA-256 of EvalKey.bin (the envelope's hash field, checked)
     */
    public record EvalKeyDigest(String keyId, String preset, EvalMode evalMode, long length, String sha256Hex) {
    }

    /**
     * Reads and verifies an EvalKey.json envelope from {@code in} (not closed), streaming EvalKey.bin,
     * the decoded key_data (what a server registers), to {@code keyData} (null: only verify) without
     * holding it whole. {@code keyData} receives the bytes before they are checked: they are the
     * envelope's only when this method returns.
     *
     * @throws KeygenException INVALID_KEY when the envelope is malformed or its hash does not match
     */
    public static EvalKeyDigest readEvalKey(InputStream in, OutputStream keyData) throws IOException {
        Envelope e = EnvelopeReader.read(in, KeyFileKind.EVALKEY, keyData);
        return new EvalKeyDigest(e.header().kid(), e.header().parameters().preset(), e.header().evalMode(),
                e.binLength(), HexFormat.of().formatHex(e.sha256()));
    }

    /** SecKey.bin: secret. Close the handle as soon as possible to zero it. */
    public SecretBytes secretKey() throws IOException {
        return readSecret(KeyFileKind.SECKEY);
    }

    /**
     * The 32-byte metadata key when the set has one: secret, close it after use. MetadataKey.json is
     * read on each call and checked again against the set as loaded (bound to its EncKey, sealed as its
     * SecKey, not expired), so a file swapped in since is refused.
     *
     * @throws KeygenException INVALID_KEY when MetadataKey.json no longer belongs to this set
     */
    public Optional<SecretBytes> metadataKey() throws IOException {
        if (!hasMetadataKey) {
            return Optional.empty();
        }
        MetadataKeyFiles.SetAnchor anchor = new MetadataKeyFiles.SetAnchor(kid, parameters, Sha256.of(encKey), sealed);
        return Optional.of(SecretBytes.wrap(MetadataKeyFiles.openBound(
                dir.resolve(KeyFileKind.METADATAKEY.fileName()), anchor, kek, Clock.systemUTC())));
    }

    public boolean hasMetadataKey() {
        return hasMetadataKey;
    }

    /** Whether SecKey.json (and MetadataKey.json) are sealed. */
    public boolean sealed() {
        return sealed;
    }

    private SecretBytes readSecret(KeyFileKind kind) throws IOException {
        if (!sealed) {
            SecretSink sink = new SecretSink();
            try {
                read(dir, kind, sink);
            } catch (IOException | RuntimeException e) {
                sink.toSecret().close(); // zero what was read so far
                throw e;
            }
            return sink.toSecret();
        }
        return SecretBytes.wrap(SecretFiles.read(dir.resolve(kind.fileName()), kind, kek).plain());
    }

    @Override
    public String toString() {
        return "KeySet[" + kid + ", " + parameters.preset() + ", " + evalMode + ", dims=" + dims + ", " + dir + "]";
    }
}
