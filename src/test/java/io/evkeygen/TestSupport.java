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

    /** As {@link #list(Path)}, for lambdas and assertions. */
    public static java.util.List<String> listUnchecked(Path dir) {
        try {
            return list(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
