package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.evkeygen.cli.LauncherScriptTest.Run;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher in the release layout (bin/evkeygen, lib/, optional runtime/; src/main/assembly): it
 * finds the jars in lib/, prefers the bundled runtime, and makes its class-data archives on first use
 * in the per-user cache, one per JVM and jar, never mapping one that does not match its record.
 */
class ReleaseLauncherTest {
    /** The build's training run, standing in: loads a few classes and exits 0 ({@code --fail}: no archive). */
    private static final String TRAINING = """
            package io.evkeygen.cli;
            public class CdsTraining {
                public static void main(String[] args) throws Exception {
                    java.nio.file.Files.createDirectories(java.nio.file.Path.of(args[0]));
                    System.out.println(new java.util.TreeMap<>(java.util.Map.of(args[1], 1)));
                }
            }
            """;

    @TempDir
    Path dir;

    private Path launcher;
    private Path cache;

    @BeforeEach
    void install() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
        Path root = dir.resolve("evkeygen 1.0");
        launcher = Files.createDirectories(root.resolve("bin")).resolve("evkeygen");
        Files.copy(Path.of("src/main/launcher/evkeygen"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path lib = Files.createDirectories(root.resolve("lib"));
        Map<String, String> classes = Map.of("Main", LauncherScriptTest.PROBE, "CdsTraining", TRAINING);
        ProbeJar.write(dir, lib.resolve("evkeygen.jar"), classes);
        ProbeJar.write(dir, lib.resolve("evkeygen-generate.jar"), classes);
        cache = dir.resolve("cache");
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("JAVA_OPTS", "-Dprobe=cds");
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().putAll(env);
        return LauncherScriptTest.finish(pb);
    }

    /** The archive the probe says its JVM was given ("none" without one). */
    private static String archiveOf(Run r) {
        return r.out().lines().filter(l -> l.startsWith("cds:")).findFirst().orElseThrow().substring(4);
    }

    private List<String> cacheFiles() throws IOException {
        try (Stream<Path> files = Files.list(cache.resolve("evkeygen/cds"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theFirstRunMakesAnArchivePerKindThatLaterRunsUse() throws Exception {
        Run tools = run(Map.of(), "info");
        assertEquals(0, tools.code(), tools.err());
        assertEquals("", tools.err());
        assertTrue(archiveOf(tools).matches("tools-[0-9]+\\.jsa"), tools.out());
        assertTrue(tools.out().contains("jar:evkeygen.jar\n"), tools.out());

        Run generation = run(Map.of(), "--dim", "32");
        assertTrue(archiveOf(generation).matches("generate-[0-9]+\\.jsa"), generation.out());
        assertTrue(generation.out().contains("jar:evkeygen-generate.jar\nfull:evkeygen.jar\n"), generation.out());
        assertEquals(List.of(archiveOf(generation), archiveOf(generation) + ".cksum", archiveOf(tools),
                archiveOf(tools) + ".cksum"), cacheFiles(), "archives and their records, no scratch left");

        FileTime made = Files.getLastModifiedTime(cache.resolve("evkeygen/cds").resolve(archiveOf(tools)));
        Run again = run(Map.of(), "verify");
        assertEquals(archiveOf(tools), archiveOf(again));
        assertEquals(made, Files.getLastModifiedTime(cache.resolve("evkeygen/cds").resolve(archiveOf(again))),
                "the second run maps the archive the first one made");
    }

    @Test
    void aTruncatedArchiveIsNeverMappedButMadeAgain() throws Exception {
        Run first = run(Map.of(), "info");
        Path archive = cache.resolve("evkeygen/cds").resolve(archiveOf(first));
        long size = Files.size(archive);
        FileTime recordedAt = Files.getLastModifiedTime(archive.resolveSibling(archive.getFileName() + ".cksum"));
        archive.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        Files.setLastModifiedTime(archive, FileTime.fromMillis(recordedAt.toMillis() - 1000));
        Run after = run(Map.of(), "info");
        assertEquals(0, after.code(), "the JVM mapped the missing half: " + after.err());
        assertEquals(archiveOf(first), archiveOf(after));
        assertEquals(size, Files.size(archive), "a whole archive again");
    }

    @Test
    void anotherJarGetsAnArchiveOfItsOwn() throws Exception {
        Run first = run(Map.of(), "info");
        Path jar = launcher.getParent().resolveSibling("lib").resolve("evkeygen.jar");
        Files.write(jar, Files.readAllBytes(jar), StandardOpenOption.APPEND); // another size: another build
        Run second = run(Map.of(), "info");
        assertNotEquals(archiveOf(first), archiveOf(second));
        assertEquals(0, second.code(), second.err());
    }

    @Test
    void aRebuildWithTheSameSizeAndTimeGetsAnArchiveOfItsOwn() throws Exception {
        Path id = launcher.getParent().resolveSibling("lib").resolve("evkeygen.id");
        Files.writeString(id, "1 100 2 200\n");
        Run first = run(Map.of(), "info");
        Files.writeString(id, "3 100 4 200\n"); // the build's record of other jar contents
        Run second = run(Map.of(), "info");
        assertNotEquals(archiveOf(first), archiveOf(second));
    }

    @Test
    void aFailedTrainingLeavesNothingAndTheCommandRunsWithoutAnArchive() throws Exception {
        Path lib = launcher.getParent().resolveSibling("lib");
        ProbeJar.write(dir, LauncherScriptTest.PROBE, lib.resolve("evkeygen.jar")); // no CdsTraining in it
        Run r = run(Map.of(), "info", "--exit", "4");
        assertEquals(4, r.code(), r.err());
        assertEquals("none", archiveOf(r));
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void theBundledRuntimeComesBeforeJavaHome() throws Exception {
        Path runtimeBin = Files.createDirectories(launcher.getParent().resolveSibling("runtime").resolve("bin"));
        Files.createSymbolicLink(runtimeBin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        Run r = run(Map.of("JAVA", "", "JAVA_HOME", dir.resolve("no such jdk").toString()), "info");
        assertEquals(0, r.code(), r.err());
        assertTrue(archiveOf(r).startsWith("tools-"), r.out());
    }

    @Test
    void withoutAHomeNoArchiveIsMade() throws Exception {
        Run r = run(Map.of("XDG_CACHE_HOME", "", "HOME", ""), "info");
        assertEquals(0, r.code(), r.err());
        assertEquals("none", archiveOf(r));
    }
}
