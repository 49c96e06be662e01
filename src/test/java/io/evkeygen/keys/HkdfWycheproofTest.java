package io.evkeygen.keys;

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
            assertThrows(IllegalArgumentException.class, () -> MetadataKeys.hkdfSha256(ikm, salt, info, size));
            return;
        }
        assertArrayEquals(Wycheproof.hex(t.get("okm")), MetadataKeys.hkdfSha256(ikm, salt, info, size));
    }
}
