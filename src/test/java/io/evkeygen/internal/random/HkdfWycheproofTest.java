package io.evkeygen.internal.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.evkeygen.testutil.Wycheproof;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every Wycheproof HKDF-SHA256 vector through the HKDF that derives the seeded metadata key. */
class HkdfWycheproofTest {
    static final String SHA256 = "bb2b462a38b251cb52a2aede706d6d4b62b26864f4e80c95497507ddb07c5f1e";

    @TestFactory
    List<DynamicTest> hkdfSha256Vectors() throws Exception {
        JsonNode root = Wycheproof.load("hkdf_sha256_test.json", SHA256);
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                tests.add(DynamicTest.dynamicTest("tc" + t.get("tcId").asInt() + " " + t.get("result").asText()
                        + " " + t.get("comment").asText(), () -> check(t)));
            }
        }
        assertFalse(tests.isEmpty());
        return tests;
    }

    private static void check(JsonNode t) {
        byte[] ikm = Wycheproof.hex(t.get("ikm"));
        byte[] salt = Wycheproof.hex(t.get("salt"));
        byte[] info = Wycheproof.hex(t.get("info"));
        int size = t.get("size").asInt();
        if (t.get("result").asText().equals("invalid")) {
            assertThrows(IllegalArgumentException.class, () -> Hkdf.derive(ikm, salt, info, size));
            return;
        }
        assertArrayEquals(Wycheproof.hex(t.get("okm")), Hkdf.derive(ikm, salt, info, size));
    }

    /** Bouncy Castle's HKDF is the independent implementation ours must agree with, byte for byte. */
    @org.junit.jupiter.api.Test
    void agreesWithBouncyCastle() {
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] ikm = new byte[r.nextInt(100)];
            byte[] salt = new byte[r.nextInt(80)];
            byte[] info = new byte[r.nextInt(80)];
            r.nextBytes(ikm);
            r.nextBytes(salt);
            r.nextBytes(info);
            int size = r.nextInt(600);
            var bc = new org.bouncycastle.crypto.generators.HKDFBytesGenerator(new org.bouncycastle.crypto.digests.SHA256Digest());
            bc.init(new org.bouncycastle.crypto.params.HKDFParameters(ikm, salt, info));
            byte[] expected = new byte[size];
            bc.generateBytes(expected, 0, size);
            assertArrayEquals(expected, Hkdf.derive(ikm, salt, info, size));
        }
    }
}
