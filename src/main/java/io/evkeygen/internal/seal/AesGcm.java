package io.evkeygen.internal.seal;

import io.evkeygen.error.KeygenException;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one AES-GCM primitive of the project (JDK cipher, 128-bit tag), used by {@link AesKekSeal}
 * and {@code io.evkeygen.MetadataCipher}. Ciphertexts are {@code ciphertext || tag}, as the JDK
 * produces them. A failed tag check is {@link KeygenException.Kind#UNSEAL}; a malformed key or IV is
 * {@link KeygenException.Kind#USAGE}. Messages never contain key or data bytes.
 */
public final class AesGcm {
    public static final int TAG_LENGTH = 16;

    private AesGcm() {}

    /** AES-GCM encryption; {@code aad} may be null. Returns ciphertext || tag. */
    public static byte[] encrypt(byte[] key, byte[] iv, byte[] aad, byte[] plaintext) {
        return run(Cipher.ENCRYPT_MODE, key, iv, aad, plaintext);
    }

    /** AES-GCM decryption of ciphertext || tag, verifying the tag; {@code aad} may be null. */
    public static byte[] decrypt(byte[] key, byte[] iv, byte[] aad, byte[] ciphertextAndTag) {
        if (ciphertextAndTag.length < TAG_LENGTH) {
            throw authenticationFailed();
        }
        return run(Cipher.DECRYPT_MODE, key, iv, aad, ciphertextAndTag);
    }

    static KeygenException authenticationFailed() {
        return new KeygenException(KeygenException.Kind.UNSEAL, "AES-GCM authentication failed");
    }

    private static byte[] run(int mode, byte[] key, byte[] iv, byte[] aad, byte[] input) {
        if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
            throw KeygenException.usage("AES key must be 16, 24 or 32 bytes");
        }
        if (iv == null || iv.length == 0) {
            throw KeygenException.usage("AES-GCM needs a non-empty IV");
        }
        Cipher c;
        try {
            c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(8 * TAG_LENGTH, iv));
        } catch (GeneralSecurityException e) {
            throw new KeygenException(KeygenException.Kind.FAILURE, "AES-GCM unavailable: " + e.getMessage());
        }
        try {
            if (aad != null && aad.length > 0) {
                c.updateAAD(aad);
            }
            return c.doFinal(input);
        } catch (AEADBadTagException e) {
            throw authenticationFailed();
        } catch (GeneralSecurityException e) {
            throw new KeygenException(KeygenException.Kind.FAILURE, "AES-GCM failed: " + e.getClass().getSimpleName());
        }
    }
}
