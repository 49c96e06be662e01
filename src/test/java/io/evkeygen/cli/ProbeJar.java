package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;

/** A jar of an {@code io.evkeygen.cli.Main} (and other classes) compiled from a test's sources: a stand-in for the CLI. */
final class ProbeJar {
    private static final String PACKAGE = "io/evkeygen/cli/";

    private ProbeJar() {}

    /** Compiles {@code mainSource} in {@code workDir}/probe and writes the class alone to {@code jar}. */
    static Path write(Path workDir, String mainSource, Path jar) throws IOException {
        return write(workDir, jar, Map.of("Main", mainSource));
    }

    /** As {@link #write(Path, String, Path)} for several classes of io.evkeygen.cli: simple name to source. */
    static Path write(Path workDir, Path jar, Map<String, String> sources) throws IOException {
        Path src = Files.createDirectories(workDir.resolve("probe"));
        List<String> args = new ArrayList<>(List.of("-d", src.toString()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            args.add(Files.writeString(src.resolve(e.getKey() + ".java"), e.getValue()).toString());
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)),
                "the probe compiles");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            for (String name : sources.keySet()) {
                String entry = PACKAGE + name + ".class";
                jarOut.putNextEntry(new JarEntry(entry));
                jarOut.write(Files.readAllBytes(src.resolve(entry)));
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
