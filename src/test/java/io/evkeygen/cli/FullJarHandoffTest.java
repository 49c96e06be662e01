package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-over from the generation jar to the complete one, against a complete jar whose
 * {@code io.evkeygen.cli.Main} is {@link #PROBE}: it runs in a loader of its own, with our streams and
 * arguments, returns its exit code, and does not hand over again.
 */
class FullJarHandoffTest {
    /** Stands in for the complete CLI: reports where it runs and what it was given; {@code boom} throws. */
    private static final String PROBE = """
            package io.evkeygen.cli;
            public class Main {
                public static int run(String[] args, java.io.InputStream in, java.io.PrintStream out,
                        java.io.PrintStream err) throws Exception {
                    if (args.length > 0 && args[0].equals("boom")) {
                        throw new java.io.IOException("boom from the complete jar");
                    }
                    out.println("args:" + String.join(",", args));
                    out.println("stdin:" + new String(in.readAllBytes(), "UTF-8"));
                    out.println("loader:" + Main.class.getClassLoader().getName());
                    out.println("context:" + Thread.currentThread().getContextClassLoader().getName());
                    out.println("property:" + System.getProperty("evkeygen.cli.fullJar"));
                    err.println("to stderr");
                    return 7;
                }
            }
            """;

    @TempDir
    Path dir;

    private final ClassLoader context = Thread.currentThread().getContextClassLoader();

    @AfterEach
    void restore() {
        Thread.currentThread().setContextClassLoader(context);
        System.clearProperty(FullJarHandoff.PROPERTY);
    }

    @Test
    void theCompleteJarRunsIsolatedWithOurStreams() throws Exception {
        Path jar = probeJar();
        System.setProperty(FullJarHandoff.PROPERTY, jar.toString());
        assertEquals(jar, FullJarHandoff.fullJar());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FullJarHandoff.run(jar, new String[] {"verify", "a b"},
                new ByteArrayInputStream("kek".getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(7, code);
        assertEquals("args:verify,a b\nstdin:kek\nloader:evkeygen.jar\ncontext:evkeygen.jar\nproperty:null\n",
                out.toString(StandardCharsets.UTF_8));
        assertEquals("to stderr\n", err.toString(StandardCharsets.UTF_8));
        assertNull(FullJarHandoff.fullJar(), "the copy must not hand over again");
    }

    @Test
    void itsExceptionsComeOutUnwrapped() throws Exception {
        Path jar = probeJar();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        IOException e = assertThrows(IOException.class, () -> FullJarHandoff.run(jar, new String[] {"boom"},
                new ByteArrayInputStream(new byte[0]), quiet, quiet));
        assertEquals("boom from the complete jar", e.getMessage());
    }

    @Test
    void aMissingCompleteJarIsNamed() {
        Path missing = dir.resolve("evkeygen.jar");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FullJarHandoff.run(missing,
                new String[] {"verify"}, new ByteArrayInputStream(new byte[0]), quiet, quiet));
        assertTrue(e.getMessage().startsWith(missing + " is missing"), e.getMessage());
    }

    @Test
    void noPropertyNoHandOver() {
        assertNull(FullJarHandoff.fullJar());
        System.setProperty(FullJarHandoff.PROPERTY, "");
        assertNull(FullJarHandoff.fullJar());
    }

    @Test
    void mainHandsOverWhatTheQuickParserDoesNotTake() throws Exception {
        Path jar = probeJar();
        System.setProperty(FullJarHandoff.PROPERTY, jar.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"--dim=32"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(7, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("args:--dim=32\n"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void mainReportsAMissingCompleteJarInOneLine() {
        System.setProperty(FullJarHandoff.PROPERTY, dir.resolve("gone.jar").toString());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        int code = Main.run(new String[] {"verify", "x"}, new ByteArrayInputStream(new byte[0]), quiet, new PrintStream(err, true));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.FAILURE, code, text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith(ErrorReporter.PREFIX) && text.contains("gone.jar is missing"), text);
    }

    private Path probeJar() throws IOException {
        return ProbeJar.write(dir, PROBE, dir.resolve("evkeygen.jar"));
    }
}
