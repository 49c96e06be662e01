package io.evkeygen;

import java.nio.file.Files;
import java.nio.file.Path;

/** Small helpers shared by tests. */
public final class TestSupport {
    private TestSupport() {}

    /** Names in a directory, sorted (empty when it does not exist). */
    public static java.util.List<String> list(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
