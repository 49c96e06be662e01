package io.evkeygen.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evkeygen.MetadataCipher;
import io.evkeygen.error.KeygenException;
import io.evkeygen.testutil.FuzzExpectations;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzzes the metadata-token reader, {@link MetadataCipher#decrypt(String, byte[])} (and
 * {@code decryptJson}, and the explicit {@code decryptUnauthenticatedLegacyCtr}), with arbitrary text
 * under a fixed key. A value is authenticated or refused: whatever the authenticated readers return
 * must be what the JDK's own AES-GCM opens from the same bytes, and a refusal is a KeygenException of
 * kind USAGE (malformed) or UNSEAL (not authentic), nothing else. Seeds: MetadataTokenFuzzTestInputs/token/
 * (genuine values, a CTR value forged from one, malformed ones).
 */
class MetadataTokenFuzzTest {
    static final byte[] KEY = key();
    static final byte[] AAD = "doc-1".getBytes(StandardCharsets.UTF_8);
    private static final Set<KeygenException.Kind> REFUSALS = EnumSet.of(KeygenException.Kind.USAGE,
            KeygenException.Kind.UNSEAL);

    static byte[] key() {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (0x40 + i);
        }
        return k;
    }

    /** The first byte picks the call (decrypt, decrypt with aad, decryptJson, the CTR path); the rest is the token. */
    @FuzzTest(maxDuration = "30s")
    void token(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int pick = data[0] & 3;
        String token = new String(data, 1, data.length - 1, StandardCharsets.ISO_8859_1);
        try (MetadataCipher c = MetadataCipher.of(KEY).onWarning(w -> { })) {
            switch (pick) {
                case 0, 1 -> {
                    byte[] aad = pick == 1 ? AAD : null;
                    byte[] plain = c.decrypt(token, aad);
                    if (!Arrays.equals(plain, jdkOpen(token, aad))) {
                        throw new AssertionError("decrypt returned other bytes than the value's AES-GCM plaintext");
                    }
                }
                case 2 -> {
                    c.decryptJson(token);
                    jdkOpen(token, null);
                }
                default -> c.decryptUnauthenticatedLegacyCtr(token);
            }
        } catch (Throwable t) {
            FuzzExpectations.expected(t, REFUSALS);
        }
    }

    /** The value opened by the JDK's AES-GCM, independently of MetadataCipher; an AssertionError if it is not authentic. */
    private static byte[] jdkOpen(String token, byte[] aad) {
        try {
            byte[] raw = Base64.getDecoder().decode(token.strip());
            byte[] ctTag = new byte[raw.length - 12];
            System.arraycopy(raw, 28, ctTag, 0, raw.length - 28);
            System.arraycopy(raw, 12, ctTag, raw.length - 28, 16);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, raw, 0, 12));
            if (aad != null) {
                gcm.updateAAD(aad);
            }
            return gcm.doFinal(ctTag);
        } catch (Exception e) {
            throw new AssertionError("an authenticated reader accepted a value that is not authentic AES-GCM", e);
        }
    }
}
