package io.evkeygen.kms.server;

import io.evkeygen.secret.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** An owner-only temporary directory for sealed key files in transit, removed with its contents on close. */
final class PrivateTempDir implements AutoCloseable {
    private final Path path;

    PrivateTempDir(String prefix) throws IOException {
        this.path = Files.createTempDirectory(prefix, OwnerOnly.directory(Path.of(System.getProperty("java.io.tmpdir"))));
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
