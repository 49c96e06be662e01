package io.evkeygen.testutil;

import java.util.Base64;

/**
 * The forgery of issue 20, item 1: from one AES-256-GCM metadata value {@code B64(iv12 || tag || ct)}
 * whose plaintext is known, a legacy AES-256-CTR value {@code B64(iv16 || ct')} of any chosen plaintext
 * no longer than it. GCM encrypts with AES-CTR from counter block {@code iv12 || 00000002}, so
 * {@code ct XOR known} is that keystream; XORed with the chosen plaintext and prefixed with that
 * counter block as the CTR IV, it is a CTR value a CTR decryption with the same key opens to the
 * chosen plaintext. No key is needed.
 */
public final class MetadataForgery {
    private MetadataForgery() {}

    public static String ctrFromGcm(String gcmToken, byte[] known, byte[] chosen) {
        byte[] raw = Base64.getDecoder().decode(gcmToken);
        if (chosen.length > known.length || raw.length != 28 + known.length) {
            throw new IllegalArgumentException("the chosen plaintext must fit in the known one's keystream");
        }
        byte[] out = new byte[16 + chosen.length];
        System.arraycopy(raw, 0, out, 0, 12); // iv12, then the 32-bit block counter 2
        out[15] = 2;
        for (int i = 0; i < chosen.length; i++) {
            out[16 + i] = (byte) (raw[28 + i] ^ known[i] ^ chosen[i]);
        }
        return Base64.getEncoder().encodeToString(out);
    }
}
