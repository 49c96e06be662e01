package io.evkeygen.testutil;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Access to ../shared (reference vectors); tests skip, saying so, when it is absent. */
public final class SharedVectors {
    private SharedVectors() {}

    public static Path root() {
        String prop = System.getProperty("evkeygen.shared", "../shared");
        Path p = Path.of(prop).toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(p.resolve("vectors")),
                "reference data not found at " + p + " (../shared beside the checkout): skipping");
        return p;
    }

    public static Path vector(String set) {
        return root().resolve("vectors").resolve(set);
    }

    /** The decoded key_data of a vector file (parsed with Jackson, small files only). */
    public static byte[] keyData(String set, String file) throws IOException {
        JsonNode node = new ObjectMapper().readTree(vector(set).resolve(file).toFile());
        return Base64.getDecoder().decode(node.get("entries").get(0).get("key_data").asText());
    }
}
