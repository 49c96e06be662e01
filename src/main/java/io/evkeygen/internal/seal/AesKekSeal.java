package io.evkeygen.internal.seal;

import io.evkeygen.error.KeygenException;
import io.evkeygen.params.Parameters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;

/**
 * The sealed blob of spec section 10: a JSON header naming the preset and seal type, u32 0, a
 * 12-byte IV, the 16-byte GCM tag, u32 ciphertext length, then AES-256-GCM ciphertext (no
 * associated data). The tag is always verified on open. The cipher is {@link AesGcm}.
 */
public final class AesKekSeal {
    public static final int KEK_LENGTH = 32;
    public static final int IV_LENGTH = 12;
    public static final int TAG_LENGTH = 16;

    private AesKekSeal() {}

    /** The 59-byte header for a preset, e.g. {@code {\n    "ParameterPreset": "IP0",\n    "SealType": "AES-KEK"\n}}. */
    public static byte[] header(String preset) {
        return ("{\n    \"ParameterPreset\": \"" + preset + "\",\n    \"SealType\": \"AES-KEK\"\n}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A sealed blob together with the IV and tag that the envelope repeats. */
    public record Sealed(byte[] blob, byte[] iv, byte[] tag) {}

    public static Sealed seal(Parameters params, byte[] plaintext, byte[] kek) {
        checkKek(kek);
        byte[] iv = new byte[IV_LENGTH];
        new SecureRandom().nextBytes(iv);
        byte[] ctAndTag = gcm(Cipher.ENCRYPT_MODE, kek, iv, plaintext);
        int ctLen = plaintext.length;
        byte[] tag = Arrays.copyOfRange(ctAndTag, ctLen, ctLen + TAG_LENGTH);
        byte[] h = header(params.preset());
        ByteBuffer b = ByteBuffer.allocate(h.length + 4 + IV_LENGTH + TAG_LENGTH + 4 + ctLen)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(h).putInt(0).put(iv).put(tag).putInt(ctLen).put(ctAndTag, 0, ctLen);
        return new Sealed(b.array(), iv, tag);
    }

    /** The parts of a sealed blob, its layout checked (no key needed). */
    public record Layout(byte[] iv, byte[] tag, int ciphertextLength) {}

    /** Checks the blob's header, reserved field and lengths, and returns its IV, tag and ciphertext length. */
    public static Layout layout(Parameters params, byte[] blob) {
        byte[] h = header(params.preset());
        int fixed = h.length + 4 + IV_LENGTH + TAG_LENGTH + 4;
        if (blob.length < fixed || !Arrays.equals(blob, 0, h.length, h, 0, h.length)) {
            throw KeygenException.invalidKey("sealed key has no AES-KEK header for preset " + params.preset());
        }
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        b.position(h.length);
        if (b.getInt() != 0) {
            throw KeygenException.invalidKey("sealed key has a bad reserved field");
        }
        byte[] iv = new byte[IV_LENGTH];
        byte[] tag = new byte[TAG_LENGTH];
        b.get(iv).get(tag);
        int ctLen = b.getInt();
        if (ctLen < 0 || ctLen != b.remaining()) {
            throw KeygenException.invalidKey("sealed key is truncated or has a bad length");
        }
        return new Layout(iv, tag, ctLen);
    }

    /** Opens a blob, verifying its layout and GCM tag. */
    public static byte[] open(Parameters params, byte[] blob, byte[] kek) {
        checkKek(kek);
        Layout l = layout(params, blob);
        int ctLen = l.ciphertextLength();
        byte[] ctAndTag = new byte[ctLen + TAG_LENGTH];
        System.arraycopy(blob, blob.length - ctLen, ctAndTag, 0, ctLen);
        System.arraycopy(l.tag(), 0, ctAndTag, ctLen, TAG_LENGTH);
        return gcm(Cipher.DECRYPT_MODE, kek, l.iv(), ctAndTag);
    }

    private static void checkKek(byte[] kek) {
        if (kek == null || kek.length != KEK_LENGTH) {
            throw KeygenException.usage("key-encryption key must be 32 bytes");
        }
    }

    private static byte[] gcm(int mode, byte[] kek, byte[] iv, byte[] input) {
        if (mode == Cipher.ENCRYPT_MODE) {
            return AesGcm.encrypt(kek, iv, null, input);
        }
        try {
            return AesGcm.decrypt(kek, iv, null, input);
        } catch (KeygenException e) {
            if (e.kind() == KeygenException.Kind.UNSEAL) {
                throw new KeygenException(KeygenException.Kind.UNSEAL,
                        "cannot unseal: wrong key-encryption key or corrupted sealed key");
            }
            throw e;
        }
    }
}
