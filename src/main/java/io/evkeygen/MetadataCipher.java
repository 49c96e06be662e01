package io.evkeygen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.keydir.ResealJournal;
import io.evkeygen.internal.seal.AesGcm;
import io.evkeygen.internal.seal.MetadataKeyFiles;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.KekProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Consumer;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts metadata with a key set's metadata key (spec section 11): AES-256-GCM, a fresh 12-byte
 * random IV per value, 16-byte tag, optional associated data, encoded as
 * {@code B64(iv || tag || ciphertext)}, the layout of the Python SDK's {@code AESHelper.encrypt_aes_gcm}
 * (and what its {@code decrypt_metadata} accepts). Close it to zero the key.
 *
 * <p>A value is authenticated or refused: {@link #decrypt(String, byte[])} and the methods built on it
 * accept only AES-256-GCM values whose tag verifies, and never fall back to anything else. Values in
 * the legacy AES-256-CTR layout of older pyenvector releases, {@code B64(iv16 || ciphertext)},
 * authenticate nothing: whoever holds one GCM value of known plaintext can make CTR values of any
 * plaintext (GCM's keystream from counter block {@code IV || 2} is plain AES-CTR). They are decrypted
 * only by {@link #decryptUnauthenticatedLegacyCtr(String)}, named on purpose, with a warning each call.
 *
 * <p>The key is taken only from its own set: {@link #forKeySet} and {@link #fromFile} check that the
 * MetadataKey.json is bound to the set's EncKey.json ({@code enckey_sha256}), has the set's key id and
 * parameters, is sealed exactly when the set's SecKey.json is, and has not expired. pyenvector's older
 * MetadataKey layouts, which bind to no set (the plain one authenticates nothing either), are read only
 * by {@link #fromUnauthenticatedLegacyFile}.
 *
 * <pre>{@code
 * try (MetadataCipher c = MetadataCipher.forKeySet(KeySet.load(dir))) {
 *     String token = c.encrypt("{\"title\":\"x\"}");
 *     String back = c.decryptString(token);
 * }
 * }</pre>
 */
public final class MetadataCipher implements AutoCloseable {
    /** A metadata key is 32 bytes (AES-256): {@code MetadataKeyFiles.KEY_LENGTH}, defined once. */
    public static final int KEY_LENGTH = MetadataKeyFiles.KEY_LENGTH;
    public static final int IV_LENGTH = 12;
    public static final int TAG_LENGTH = AesGcm.TAG_LENGTH;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final System.Logger LOG = System.getLogger(MetadataCipher.class.getName());
    /** The legacy CTR layout's IV (a full 16-byte initial counter block). */
    public static final int LEGACY_CTR_IV_LENGTH = 16;

    private final SecretBytes key;
    private volatile Consumer<String> warnings = MetadataCipher::log;

    private static void log(String warning) {
        LOG.log(System.Logger.Level.WARNING, warning);
    }

    private MetadataCipher(SecretBytes owned) {
        this.key = owned;
    }

    /** Sends warnings (a legacy AES-256-CTR value was decrypted) to {@code sink} instead of the log; returns this. */
    public MetadataCipher onWarning(Consumer<String> sink) {
        this.warnings = Objects.requireNonNull(sink, "sink");
        return this;
    }

    /** A cipher over a copy of a 32-byte metadata key. */
    public static MetadataCipher of(byte[] key) {
        if (key == null || key.length != KEY_LENGTH) {
            throw KeygenException.usage("metadata key must be 32 bytes");
        }
        return new MetadataCipher(SecretBytes.copyOf(key));
    }

    public static MetadataCipher of(SecretBytes key) {
        return of(key.reveal());
    }

    /**
     * The metadata key of a loaded key set (opened with the KEK it was loaded with, if sealed), checked
     * again against the set as it was loaded.
     *
     * @throws KeygenException INVALID_KEY when MetadataKey.json no longer belongs to the set
     */
    public static MetadataCipher forKeySet(KeySet keys) throws IOException {
        try (SecretBytes k = keys.metadataKey().orElseThrow(() -> KeygenException.usage(
                "key set " + keys.directory() + " has no MetadataKey.json (generated with metadata encryption off)"))) {
            return of(k);
        }
    }

    /**
     * The key of a key directory's {@code MetadataKey.json}, or of a {@code MetadataKey.json} file given
     * directly, which is checked against the {@code EncKey.json} (and {@code SecKey.json}) beside it.
     *
     * @param kek opens a sealed key; may be null for an unsealed one
     * @throws KeygenException INVALID_KEY when the file is in an older layout, has no EncKey.json beside
     *                         it, belongs to another set or has expired; UNSEAL when it cannot be opened
     */
    public static MetadataCipher fromFile(Path fileOrDir, KekProvider kek) throws IOException {
        Path file = metadataKeyFile(fileOrDir);
        return owning(MetadataKeyFiles.openBound(file, anchor(file), kek, Clock.systemUTC()));
    }

    /**
     * The explicit legacy path, for keys of older pyenvector releases: as {@link #fromFile}, but also
     * takes pyenvector's older MetadataKey layouts (legacy JSON, which nothing authenticates, and
     * {@code sealed-key-v2}), a MetadataKey.json without {@code enckey_sha256}, and a file with no
     * EncKey.json beside it, none of which can be told apart from another set's key. Each of those is
     * reported to {@code warnings}, which also receives the cipher's later warnings. A key that is
     * positively another set's, or has expired, is still refused.
     */
    public static MetadataCipher fromUnauthenticatedLegacyFile(Path fileOrDir, KekProvider kek,
                                                               Consumer<String> warnings) throws IOException {
        Objects.requireNonNull(warnings, "warnings");
        Path file = metadataKeyFile(fileOrDir);
        return owning(MetadataKeyFiles.openLegacy(file, anchor(file), kek, Clock.systemUTC(), warnings))
                .onWarning(warnings);
    }

    /** As {@link #fromUnauthenticatedLegacyFile(Path, KekProvider, Consumer)}, warning to the log. */
    public static MetadataCipher fromUnauthenticatedLegacyFile(Path fileOrDir, KekProvider kek) throws IOException {
        return fromUnauthenticatedLegacyFile(fileOrDir, kek, MetadataCipher::log);
    }

    private static Path metadataKeyFile(Path fileOrDir) throws IOException {
        if (Files.isDirectory(fileOrDir)) {
            ResealJournal.recover(fileOrDir);
            return fileOrDir.resolve(KeyFileKind.METADATAKEY.fileName());
        }
        return fileOrDir;
    }

    /** The set a MetadataKey.json belongs to: the files beside it. */
    private static MetadataKeyFiles.SetAnchor anchor(Path file) throws IOException {
        return MetadataKeyFiles.anchorOf(file.toAbsolutePath().getParent(), Clock.systemUTC());
    }

    /** A cipher over {@code key}, which it zeroes (a copy is kept). */
    private static MetadataCipher owning(byte[] key) {
        try {
            return of(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** B64(iv || tag || ciphertext) of {@code plaintext}; {@code aad} (may be null) is authenticated, not stored. */
    public String encrypt(byte[] plaintext, byte[] aad) {
        byte[] iv = new byte[IV_LENGTH];
        RANDOM.nextBytes(iv);
        byte[] ctTag = AesGcm.encrypt(key(), iv, aad, plaintext);
        int ctLen = ctTag.length - TAG_LENGTH;
        byte[] out = new byte[IV_LENGTH + ctTag.length];
        System.arraycopy(iv, 0, out, 0, IV_LENGTH);
        System.arraycopy(ctTag, ctLen, out, IV_LENGTH, TAG_LENGTH);
        System.arraycopy(ctTag, 0, out, IV_LENGTH + TAG_LENGTH, ctLen);
        return Base64.getEncoder().encodeToString(out);
    }

    public String encrypt(byte[] plaintext) {
        return encrypt(plaintext, null);
    }

    /** Encrypts the UTF-8 bytes of {@code text}. */
    public String encrypt(String text) {
        return encrypt(text.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Encrypts {@code value} serialized as JSON (Jackson). */
    public String encryptJson(Object value) {
        try {
            return encrypt(JSON.writeValueAsBytes(value), null);
        } catch (JsonProcessingException e) {
            throw KeygenException.usage("value cannot be serialized as JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Decrypts B64(iv || tag || ciphertext), AES-256-GCM only: nothing else is ever tried.
     *
     * @throws KeygenException USAGE for malformed input, UNSEAL when the tag does not verify (wrong
     *                         key or associated data, a corrupted or forged value, a legacy CTR value)
     */
    public byte[] decrypt(String encoded, byte[] aad) {
        byte[] raw = base64(encoded);
        if (raw.length < IV_LENGTH + TAG_LENGTH) {
            throw KeygenException.usage("encrypted metadata is too short (" + raw.length + " bytes, at least 28)");
        }
        byte[] iv = Arrays.copyOfRange(raw, 0, IV_LENGTH);
        int ctLen = raw.length - IV_LENGTH - TAG_LENGTH;
        byte[] ctTag = new byte[ctLen + TAG_LENGTH];
        System.arraycopy(raw, IV_LENGTH + TAG_LENGTH, ctTag, 0, ctLen);
        System.arraycopy(raw, IV_LENGTH, ctTag, ctLen, TAG_LENGTH);
        try {
            return AesGcm.decrypt(key(), iv, aad, ctTag);
        } catch (KeygenException e) {
            if (e.kind() == KeygenException.Kind.UNSEAL) {
                throw new KeygenException(KeygenException.Kind.UNSEAL, "cannot decrypt metadata: not an authentic"
                        + " AES-256-GCM value of this key (wrong metadata key or associated data, a corrupted or"
                        + " forged value; a legacy AES-256-CTR value is decrypted only when asked for explicitly)");
            }
            throw e;
        }
    }

    /**
     * Decrypts a value in the legacy AES-256-CTR layout {@code B64(iv16 || ciphertext)} of older
     * pyenvector releases. Unauthenticated: a wrong key gives garbage rather than an error, and anyone
     * who knows the plaintext of one GCM value of this key can forge CTR values. Warns on every call.
     */
    public byte[] decryptUnauthenticatedLegacyCtr(String encoded) {
        byte[] raw = base64(encoded);
        if (raw.length < LEGACY_CTR_IV_LENGTH) {
            throw KeygenException.usage("legacy encrypted metadata is too short (" + raw.length + " bytes, at least 16)");
        }
        byte[] plain = ctr(raw);
        warnings.accept("decrypted a value in the deprecated AES-256-CTR layout, which is unauthenticated (it may be"
                + " forged); re-encrypt it with AES-256-GCM");
        return plain;
    }

    /**
     * The old name of {@link #decryptUnauthenticatedLegacyCtr(String)}.
     *
     * @deprecated the name hides that nothing is authenticated; use {@link #decryptUnauthenticatedLegacyCtr}
     */
    @Deprecated
    public byte[] decryptLegacyCtr(String encoded) {
        return decryptUnauthenticatedLegacyCtr(encoded);
    }

    private byte[] ctr(byte[] raw) {
        try {
            Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key(), "AES"),
                    new IvParameterSpec(raw, 0, LEGACY_CTR_IV_LENGTH));
            return c.doFinal(raw, LEGACY_CTR_IV_LENGTH, raw.length - LEGACY_CTR_IV_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new KeygenException(KeygenException.Kind.FAILURE, "AES-CTR is not available: " + e.getMessage(), e);
        }
    }

    private static byte[] base64(String encoded) {
        try {
            return Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            throw KeygenException.usage("encrypted metadata is not valid base64");
        }
    }

    /** As {@link #decrypt(String, byte[])} without associated data. */
    public byte[] decrypt(String encoded) {
        return decrypt(encoded, null);
    }

    /** Decrypts (AES-256-GCM only) to a UTF-8 string. */
    public String decryptString(String encoded) {
        return new String(decrypt(encoded, null), StandardCharsets.UTF_8);
    }

    /** Decrypts (AES-256-GCM only) and parses JSON. */
    public JsonNode decryptJson(String encoded) {
        try {
            return JSON.readTree(decrypt(encoded, null));
        } catch (IOException e) {
            throw KeygenException.usage("decrypted metadata is not JSON");
        }
    }

    private byte[] key() {
        return key.reveal();
    }

    /** Zeroes the key; idempotent. */
    @Override
    public void close() {
        key.close();
    }

    @Override
    public String toString() {
        return "MetadataCipher[redacted]";
    }
}
