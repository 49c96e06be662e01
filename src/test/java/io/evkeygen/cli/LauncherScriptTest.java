package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code mvn package} copies to {@code target/evkeygen} (src/main/launcher/evkeygen),
 * run against a jar holding {@link LauncherProbe}: arguments and exit codes pass through, JAVA and
 * JAVA_OPTS are honoured, a symlink finds the jar, and an archive that does not fit stays silent.
 */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("src/main/launcher/evkeygen");

    @TempDir
    Path dir;

    private Path launcher;

    @BeforeEach
    void install() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
        launcher = dir.resolve("app dir").resolve("evkeygen");
        Files.createDirectories(launcher.getParent());
        Files.copy(SCRIPT, launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        writeProbeJar(launcher.resolveSibling("evkeygen.jar"));
    }

    private record Run(int code, String out, String err) {}

    private Run run(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void argumentsAndTheExitCodePassThrough() throws Exception {
        Run r = run(launcher, Map.of(), "a b", "*", "--exit", "3");
        assertEquals(3, r.code(), r.err());
        assertEquals("arg:a b\narg:*\narg:--exit\narg:3\nprobe:null\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void javaOptsReachTheJvm() throws Exception {
        Run r = run(launcher, Map.of("JAVA_OPTS", "-Dprobe=set -Xmx64m"));
        assertEquals(0, r.code(), r.err());
        assertEquals("probe:set\n", r.out());
    }

    @Test
    void javaHomeIsUsedWithoutJava() throws Exception {
        Run r = run(launcher, Map.of("JAVA", "", "JAVA_HOME", System.getProperty("java.home")), "x");
        assertEquals(0, r.code(), r.err());
        assertEquals("arg:x\nprobe:null\n", r.out());
    }

    @Test
    void aSymlinkElsewhereFindsTheJar() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("evkeygen"), Path.of("..", "app dir", "evkeygen"));
        Run r = run(link, Map.of(), "x");
        assertEquals(0, r.code(), r.err());
        assertEquals("arg:x\nprobe:null\n", r.out());
    }

    @Test
    void anArchiveThatDoesNotFitIsSkippedSilently() throws Exception {
        Files.writeString(launcher.resolveSibling("evkeygen.jsa"), "not an archive");
        Run r = run(launcher, Map.of(), "x");
        assertEquals(0, r.code(), r.err());
        assertEquals("arg:x\nprobe:null\n", r.out());
        assertEquals("", r.err());
    }

    private static void writeProbeJar(Path jar) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, m);
             InputStream in = LauncherProbe.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }
}
