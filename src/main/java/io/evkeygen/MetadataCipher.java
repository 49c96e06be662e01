package io.evkeygen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.keydir.ResealJournal;
import io.evkeygen.internal.seal.AesGcm;
import io.evkeygen.internal.seal.SecretFiles;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.KekProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Encrypts metadata with a key set's metadata key (spec section 11): AES-256-GCM, a fresh 12-byte
 * random IV per value, 16-byte tag, optional associated data, encoded as
 * {@code B64(iv || tag || ciphertext)}, the layout of the Python SDK's {@code AESHelper.encrypt_aes_gcm}
 * (and what its {@code decrypt_metadata} accepts). Close it to zero the key.
 *
 * <pre>{@code
 * try (MetadataCipher c = MetadataCipher.forKeySet(KeySet.load(dir))) {
 *     String token = c.encrypt("{\"title\":\"x\"}");
 *     String back = c.decryptString(token);
 * }
 * }</pre>
 */
public final class MetadataCipher implements AutoCloseable {
    public static final int KEY_LENGTH = 32;
    public static final int IV_LENGTH = 12;
    public static final int TAG_LENGTH = AesGcm.TAG_LENGTH;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretBytes key;

    private MetadataCipher(SecretBytes owned) {
        this.key = owned;
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

    /** The metadata key of a loaded key set (opened with the KEK it was loaded with, if sealed). */
    public static MetadataCipher forKeySet(KeySet keys) throws IOException {
        try (SecretBytes k = keys.metadataKey().orElseThrow(() -> KeygenException.usage(
                "key set " + keys.directory() + " has no MetadataKey.json (generated with metadata encryption off)"))) {
            return of(k);
        }
    }

    /**
     * The key of a {@code MetadataKey.json} file, or of the one in a key directory.
     *
     * @param kek opens a sealed key; may be null for an unsealed one
     */
    public static MetadataCipher fromFile(Path fileOrDir, KekProvider kek) throws IOException {
        Path file = fileOrDir;
        if (Files.isDirectory(fileOrDir)) {
            ResealJournal.recover(fileOrDir);
            file = fileOrDir.resolve(KeyFileKind.METADATAKEY.fileName());
        }
        byte[] plain = SecretFiles.read(file, KeyFileKind.METADATAKEY, kek).plain();
        try {
            if (plain.length != KEY_LENGTH) {
                throw KeygenException.invalidKey(file.getFileName() + ": metadata key is " + plain.length
                        + " bytes, expected 32");
            }
            return of(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
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
     * Decrypts B64(iv || tag || ciphertext).
     *
     * @throws KeygenException USAGE for malformed input, UNSEAL when the tag does not verify (wrong
     *                         key or associated data, or a corrupted value)
     */
    public byte[] decrypt(String encoded, byte[] aad) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            throw KeygenException.usage("encrypted metadata is not valid base64");
        }
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
                throw new KeygenException(KeygenException.Kind.UNSEAL,
                        "cannot decrypt metadata: wrong metadata key or associated data, or a corrupted value");
            }
            throw e;
        }
    }

    public byte[] decrypt(String encoded) {
        return decrypt(encoded, null);
    }

    /** Decrypts to a UTF-8 string. */
    public String decryptString(String encoded) {
        return new String(decrypt(encoded, null), StandardCharsets.UTF_8);
    }

    /** Decrypts and parses JSON. */
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
