package io.evkeygen.internal.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.evkeygen.error.KeygenException;
import io.evkeygen.testutil.Wycheproof;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Wycheproof AES-GCM vector for 256-bit keys (all IV sizes) through {@link AesGcm}, the cipher
 * behind AesKekSeal and MetadataCipher: valid ones encrypt and decrypt exactly, invalid ones are refused.
 */
class AesGcmWycheproofTest {
    static final String SHA256 = "985e5ecc172e181eaf49e89508b9470dcf478002eb7e8559c707eb42dc97dfe7";

    @TestFactory
    List<DynamicTest> aes256GcmVectors() throws Exception {
        JsonNode root = Wycheproof.load("aes_gcm_test.json", SHA256);
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            if (group.get("keySize").asInt() != 256) {
                continue;
            }
            for (JsonNode t : group.get("tests")) {
                String name = "tc" + t.get("tcId").asInt() + " iv" + group.get("ivSize").asInt() + " "
                        + t.get("result").asText() + " " + t.get("comment").asText();
                tests.add(DynamicTest.dynamicTest(name, () -> check(t)));
            }
        }
        assertFalse(tests.isEmpty(), "no 256-bit AES-GCM vectors");
        return tests;
    }

    private static void check(JsonNode t) {
        byte[] key = Wycheproof.hex(t.get("key"));
        byte[] iv = Wycheproof.hex(t.get("iv"));
        byte[] aad = Wycheproof.hex(t.get("aad"));
        byte[] msg = Wycheproof.hex(t.get("msg"));
        byte[] ct = Wycheproof.hex(t.get("ct"));
        byte[] tag = Wycheproof.hex(t.get("tag"));
        byte[] ctTag = new byte[ct.length + tag.length];
        System.arraycopy(ct, 0, ctTag, 0, ct.length);
        System.arraycopy(tag, 0, ctTag, ct.length, tag.length);
        String result = t.get("result").asText();
        if (result.equals("invalid")) {
            assertThrows(KeygenException.class, () -> AesGcm.decrypt(key, iv, aad, ctTag));
            return;
        }
        // valid (there are no "acceptable" 256-bit cases; treat one like valid)
        assertArrayEquals(ctTag, AesGcm.encrypt(key, iv, aad, msg), "encryption");
        assertArrayEquals(msg, AesGcm.decrypt(key, iv, aad, ctTag), "decryption");
    }
}
