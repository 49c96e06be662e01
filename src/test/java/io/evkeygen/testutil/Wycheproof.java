package io.evkeygen.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** The Wycheproof vector files under ../shared/wycheproof, sha256-checked against its README. */
public final class Wycheproof {
    private Wycheproof() {}

    public static JsonNode load(String file, String sha256) throws IOException {
        Path dir = SharedVectors.root().resolve("wycheproof");
        Path p = dir.resolve(file);
        assumeTrue(Files.isRegularFile(p), p + " not found: skipping");
        byte[] bytes = Files.readAllBytes(p);
        try {
            assertEquals(sha256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                    file + " differs from the README's sha256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return new ObjectMapper().readTree(bytes);
    }

    public static byte[] hex(JsonNode node) {
        return HexFormat.of().parseHex(node.asText());
    }
}
