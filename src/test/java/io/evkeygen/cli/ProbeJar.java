package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;

/** A jar whose only class is an {@code io.evkeygen.cli.Main} compiled from a test's source: a stand-in for the CLI. */
final class ProbeJar {
    private static final String ENTRY = "io/evkeygen/cli/Main.class";

    private ProbeJar() {}

    /** Compiles {@code mainSource} in {@code workDir}/probe and writes the class alone to {@code jar}. */
    static Path write(Path workDir, String mainSource, Path jar) throws IOException {
        Path src = Files.createDirectories(workDir.resolve("probe"));
        Path source = Files.writeString(src.resolve("Main.java"), mainSource);
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", src.toString(), source.toString()),
                "the probe compiles");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            jarOut.putNextEntry(new JarEntry(ENTRY));
            jarOut.write(Files.readAllBytes(src.resolve(ENTRY)));
            jarOut.closeEntry();
        }
        return jar;
    }
}
