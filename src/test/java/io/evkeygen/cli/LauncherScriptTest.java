package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code mvn package} copies to {@code target/evkeygen} (src/main/launcher/evkeygen),
 * run against a jar whose {@code io.evkeygen.cli.Main} is {@link #PROBE}: arguments and exit codes pass
 * through, JAVA and JAVA_OPTS are honoured, a symlink finds the jar, an archive that does not fit
 * stays silent, and flag-only command lines run from {@code evkeygen-generate.jar} when it is there,
 * naming the complete jar for the hand-over.
 */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("src/main/launcher/evkeygen");
    /** Stands in for the CLI: echoes its arguments and the probe property; {@code --exit N} exits with N. */
    static final String PROBE = """
            package io.evkeygen.cli;
            public class Main {
                public static void main(String[] args) {
                    for (String a : args) {
                        System.out.println("arg:" + a);
                    }
                    System.out.println("probe:" + System.getProperty("probe"));
                    String jar = Main.class.getProtectionDomain().getCodeSource().getLocation().getPath();
                    System.out.println("jar:" + jar.substring(jar.lastIndexOf('/') + 1));
                    String full = System.getProperty("evkeygen.cli.fullJar");
                    System.out.println("full:" + (full == null ? null : new java.io.File(full).isFile()
                            ? full.substring(full.lastIndexOf('/') + 1) : "missing " + full));
                    if ("native".equals(System.getProperty("probe"))) {
                        System.out.println("native:" + java.lang.management.ManagementFactory.getRuntimeMXBean()
                                .getInputArguments().contains("--enable-native-access=ALL-UNNAMED"));
                    }
                    if ("cds".equals(System.getProperty("probe"))) {
                        String archive = "none";
                        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                            if (a.startsWith("-XX:SharedArchiveFile=")) {
                                archive = a.substring(a.lastIndexOf('/') + 1);
                            }
                        }
                        System.out.println("cds:" + archive);
                    }
                    System.out.println("thp:" + java.lang.management.ManagementFactory.getPlatformMXBean(
                            com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("UseTransparentHugePages").getValue());
                    for (int i = 0; i + 1 < args.length; i++) {
                        if (args[i].equals("--exit")) {
                            System.exit(Integer.parseInt(args[i + 1]));
                        }
                    }
                }
            }
            """;

    /** What the probe prints when it runs from evkeygen.jar: no generation jar beside it, nothing to hand over to. */
    private static final String FULL_JAR = "jar:evkeygen.jar\nfull:null\n" + thp();

    /** The probe's last line: the launcher asks for transparent huge pages where the kernel's mode is madvise. */
    static String thp() {
        try {
            return "thp:" + Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")).contains("[madvise]") + "\n";
        } catch (IOException e) {
            return "thp:false\n";
        }
    }

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

    record Run(int code, String out, String err) {}

    private Run run(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().putAll(env);
        return finish(pb);
    }

    /** Starts {@code pb} with stdin closed and collects its exit code, stdout and stderr. */
    static Run finish(ProcessBuilder pb) throws Exception {
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
        assertEquals("arg:a b\narg:*\narg:--exit\narg:3\nprobe:null\n" + FULL_JAR, r.out());
        assertEquals("", r.err());
    }

    @Test
    void javaOptsReachTheJvm() throws Exception {
        Run r = run(launcher, Map.of("JAVA_OPTS", "-Dprobe=set -Xmx64m"));
        assertEquals(0, r.code(), r.err());
        assertEquals("probe:set\n" + FULL_JAR, r.out());
    }

    @Test
    void javaOptsCanTurnHugePagesOff() throws Exception {
        Run r = run(launcher, Map.of("JAVA_OPTS", "-XX:-UseTransparentHugePages"), "x");
        assertEquals(0, r.code(), r.err());
        assertEquals("arg:x\nprobe:null\njar:evkeygen.jar\nfull:null\nthp:false\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void javaHomeIsUsedWithoutJava() throws Exception {
        Run r = run(launcher, Map.of("JAVA", "", "JAVA_HOME", System.getProperty("java.home")), "x");
        assertEquals(0, r.code(), r.err());
        assertEquals("arg:x\nprobe:null\n" + FULL_JAR, r.out());
    }

    @Test
    void aSymlinkElsewhereFindsTheJar() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("evkeygen"), Path.of("..", "app dir", "evkeygen"));
        Run r = run(link, Map.of(), "x");
        assertEquals(0, r.code(), r.err());
        assertEquals("arg:x\nprobe:null\n" + FULL_JAR, r.out());
    }

    @Test
    void aSymlinkWhoseTargetPathHoldsAnArrowFindsTheJar() throws Exception {
        Path odd = Files.createDirectories(dir.resolve("a -> b"));
        Files.copy(launcher, odd.resolve("evkeygen"), StandardCopyOption.COPY_ATTRIBUTES);
        writeProbeJar(odd.resolve("evkeygen.jar"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path relative = Files.createSymbolicLink(bin.resolve("rel"), Path.of("..", "a -> b", "evkeygen"));
        Path absolute = Files.createSymbolicLink(bin.resolve("abs -> x"), odd.resolve("evkeygen"));
        // without readlink on the PATH the launcher reads ls's line: the same answer
        Path lsOnly = Files.createDirectories(dir.resolve("ls-only"));
        Files.copy(Path.of("/bin/ls"), lsOnly.resolve("ls"), StandardCopyOption.COPY_ATTRIBUTES);
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("PATH", lsOnly.toString()))) {
            for (Path link : List.of(relative, absolute)) {
                Run r = run(link, env, "x");
                assertEquals(0, r.code(), link + " " + env + ": " + r.err());
                assertEquals("arg:x\nprobe:null\n" + FULL_JAR, r.out());
            }
        }
    }

    @Test
    void anArchiveThatDoesNotFitIsSkippedSilently() throws Exception {
        Files.writeString(launcher.resolveSibling("evkeygen.jsa"), "not an archive");
        Files.writeString(launcher.resolveSibling("evkeygen-tools.jsa"), "not an archive either");
        for (String first : new String[] {"x", "--x"}) { // a subcommand: the tools archive; flags: the other
            Run r = run(launcher, Map.of(), first);
            assertEquals(0, r.code(), r.err());
            assertEquals("arg:" + first + "\nprobe:null\n" + FULL_JAR, r.out());
            assertEquals("", r.err());
        }
    }

    @Test
    void aLauncherCalledWithoutADirectoryFindsTheJar() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "evkeygen", "y").directory(launcher.getParent().toFile());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("arg:y\nprobe:null\n" + FULL_JAR, out);
    }

    @Test
    void flagsRunFromTheGenerationJarAndNameTheCompleteOne() throws Exception {
        writeProbeJar(launcher.resolveSibling("evkeygen-generate.jar"));
        Run flags = run(launcher, Map.of("JAVA_OPTS", "-Dprobe=set"), "--dim", "32");
        assertEquals(0, flags.code(), flags.err());
        assertEquals("arg:--dim\narg:32\nprobe:set\njar:evkeygen-generate.jar\nfull:evkeygen.jar\n" + thp(), flags.out());
        Run none = run(launcher, Map.of());
        assertEquals("probe:null\njar:evkeygen-generate.jar\nfull:evkeygen.jar\n" + thp(), none.out(), none.err());
        for (String first : new String[] {"verify", "--help", "-h"}) { // subcommands and help: the complete jar
            Run r = run(launcher, Map.of(), first);
            assertEquals("arg:" + first + "\nprobe:null\n" + FULL_JAR, r.out(), r.err());
        }
    }

    @Test
    void theCompleteJarsPathSurvivesSpacesAndSymlinks() throws Exception {
        writeProbeJar(launcher.resolveSibling("evkeygen-generate.jar"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("evkeygen"), Path.of("..", "app dir", "evkeygen"));
        Run r = run(link, Map.of("JAVA_OPTS", "-Dprobe=x"), "--print-full");
        assertEquals(0, r.code(), r.err());
        assertEquals("arg:--print-full\nprobe:x\njar:evkeygen-generate.jar\nfull:evkeygen.jar\n" + thp(), r.out());
    }

    @Test
    void aRelativeLauncherPathWorksFromTheCallersDirectory() throws Exception {
        writeProbeJar(launcher.resolveSibling("evkeygen-generate.jar"));
        Run r = run(Path.of("app dir", "evkeygen"), Map.of(), "--dim", "32"); // relative to run()'s directory
        assertEquals(0, r.code(), r.err());
        assertEquals("arg:--dim\narg:32\nprobe:null\njar:evkeygen-generate.jar\nfull:evkeygen.jar\n" + thp(), r.out());
    }

    @Test
    void theGenerationArchiveIsUsedOnlyWithTheJarItWasRecordedFrom() throws Exception {
        Path generationJar = launcher.resolveSibling("evkeygen-generate.jar");
        writeProbeJar(generationJar);
        Files.writeString(launcher.resolveSibling("evkeygen.jsa"), "not an archive");
        Map<String, String> cds = Map.of("JAVA_OPTS", "-Dprobe=cds");
        String head = "probe:cds\njar:evkeygen-generate.jar\nfull:evkeygen.jar\n";

        Run unrecorded = run(launcher, cds);
        assertEquals(head + "cds:none\n" + thp(), unrecorded.out(), unrecorded.err());

        Files.writeString(launcher.resolveSibling("evkeygen.jsa.jar"), generationJar + "\n");
        Run unchecked = run(launcher, cds);
        assertEquals(head + "cds:none\n" + thp(), unchecked.out(), "no evkeygen.jsa.cksum: " + unchecked.err());

        recordArchive(launcher.resolveSibling("evkeygen.jsa"));
        Run recorded = run(launcher, cds);
        assertEquals(head + "cds:evkeygen.jsa\n" + thp(), recorded.out(), recorded.err());
        assertEquals("", recorded.err(), "an archive the JVM cannot use is skipped silently");

        Files.writeString(launcher.resolveSibling("evkeygen.jsa.jar"), dir.resolve("elsewhere/evkeygen-generate.jar") + "\n");
        Run moved = run(launcher, cds);
        assertEquals(head + "cds:none\n" + thp(), moved.out(), moved.err());
    }

    @Test
    void nativeAccessIsEnabledWhereTheJvmWouldWarnOrItsVersionIsUnknown() throws Exception {
        Map<String, String> probe = Map.of("JAVA_OPTS", "-Dprobe=native");
        for (String version : List.of("17.0.2", "21", "22.0.1", "25", "")) {
            Path jdk = Files.createDirectories(dir.resolve("jdk " + version).resolve("bin"));
            Path java = jdk.resolve("java");
            Files.writeString(java, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (!version.isEmpty()) {
                Files.writeString(jdk.resolveSibling("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
            }
            boolean expected = !version.startsWith("17") && !version.startsWith("21");
            Run viaJava = run(launcher, Map.of("JAVA_OPTS", "-Dprobe=native", "JAVA", java.toString()), "x");
            assertTrue(viaJava.out().contains("native:" + expected + "\n"), version + ": " + viaJava.out() + viaJava.err());
            Run viaHome = run(launcher, Map.of("JAVA_OPTS", "-Dprobe=native", "JAVA", "",
                    "JAVA_HOME", jdk.getParent().toString()), "x");
            assertTrue(viaHome.out().contains("native:" + expected + "\n"), version + ": " + viaHome.out() + viaHome.err());
        }
        Run real = run(launcher, probe, "x"); // the JVM running the tests, through its real path
        int feature = Runtime.version().feature();
        assertTrue(real.out().contains("native:" + (feature >= 22) + "\n"), real.out());
    }

    @Test
    void aTruncatedArchiveIsNotUsed() throws Exception {
        Path archive = launcher.resolveSibling("evkeygen-tools.jsa");
        Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-cp", launcher.resolveSibling("evkeygen.jar").toString(), "io.evkeygen.cli.Main")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        dump.waitFor();
        assumeTrue(Files.isRegularFile(archive) && Files.size(archive) > 0, "this JVM writes no dynamic archive");
        recordArchive(archive);
        Map<String, String> cds = Map.of("JAVA_OPTS", "-Dprobe=cds");
        String used = "arg:x\nprobe:cds\njar:evkeygen.jar\nfull:null\ncds:evkeygen-tools.jsa\n" + thp();
        String unused = used.replace("cds:evkeygen-tools.jsa", "cds:none");
        Run whole = run(launcher, cds, "x");
        assertEquals(used, whole.out(), whole.err());

        // cut short as a full disk leaves a copy, with the time the build gave it (tar restores it): the size
        FileTime recordedAt = Files.getLastModifiedTime(archive.resolveSibling("evkeygen-tools.jsa.cksum"));
        byte[] bytes = Files.readAllBytes(archive);
        try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            ch.truncate(bytes.length / 2);
        }
        Files.setLastModifiedTime(archive, FileTime.fromMillis(recordedAt.toMillis() - 1000));
        Run truncated = run(launcher, cds, "x");
        assertEquals(0, truncated.code(), "the JVM mapped the missing half: " + truncated.err());
        assertEquals(unused, truncated.out());
        assertEquals("", truncated.err());

        // the same size but other bytes, written after the record: the CRC
        bytes[bytes.length / 2] ^= 1;
        Files.write(archive, bytes);
        Files.setLastModifiedTime(archive, FileTime.fromMillis(recordedAt.toMillis() + 1000));
        Run changed = run(launcher, cds, "x");
        assertEquals(unused, changed.out(), changed.err());
    }

    /** ARCHIVE.cksum, as {@code mvn package} writes it (pom.xml, cds-record). */
    private static void recordArchive(Path archive) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "cksum < \"$1\" > \"$1.cksum\"", "sh", archive.toString()).start();
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private void writeProbeJar(Path jar) throws IOException {
        ProbeJar.write(dir, PROBE, jar);
    }
}
