package io.evkeygen.internal.envelope;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.evkeygen.keyset.KeyFileKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The reference key sets in {@code ../shared/vectors}, found through the evkeygen.shared property. */
final class SharedVectors {
    private SharedVectors() {}

    /** The vectors directory; skips the calling test when it is absent. */
    static Path dir() {
        String shared = System.getProperty("evkeygen.shared");
        assumeTrue(shared != null, "evkeygen.shared is not set: skipping tests on reference vectors");
        Path dir = Path.of(shared, "vectors");
        assumeTrue(Files.isDirectory(dir), dir + " is absent: skipping tests on reference vectors");
        return dir;
    }

    static Path file(String set, String name) {
        Path f = dir().resolve(set).resolve(name);
        assumeTrue(Files.isRegularFile(f), f + " is absent");
        return f;
    }

    /** Every envelope file, e.g. {@code ip0-rmp-1024/SecKey.json}. */
    static List<Path> envelopes() throws IOException {
        try (Stream<Path> s = Files.walk(dir(), 2)) {
            return s.filter(p -> kindOf(p) != null).sorted().collect(Collectors.toList());
        }
    }

    static KeyFileKind kindOf(Path file) {
        for (KeyFileKind k : KeyFileKind.values()) {
            if (k.fileName().equals(file.getFileName().toString())) {
                return k;
            }
        }
        return null;
    }
}
