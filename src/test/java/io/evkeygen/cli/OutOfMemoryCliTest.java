package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of memory during a generation: one actionable line and exit 1, no stack trace and no
 * key directory, whichever parser read the flags (an Error passes picocli's exception handler by).
 * The error is raised where the KEK is read from a terminal, after the flags are parsed.
 */
class OutOfMemoryCliTest {
    @TempDir
    Path tmp;

    @Test
    void outOfMemoryIsOneLineOnBothParsingPaths() throws Exception {
        KekOptions.Terminal saved = KekOptions.terminal;
        KekOptions.terminal = new FakeTerminal(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        try {
            // two words: the quick parser; "--seal_mode=aes": picocli
            for (List<String> mode : List.of(List.of("--seal_mode", "aes"), List.of("--seal_mode=aes"))) {
                String[] args = java.util.stream.Stream.concat(mode.stream(), java.util.stream.Stream.of(
                        "--seal_key_stdin", "--key_path", tmp.resolve("keys").toString(), "--key_id", "x", "--dim", "32"))
                        .toArray(String[]::new);
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = Main.run(args, new ByteArrayInputStream(new byte[0]),
                        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
                assertEquals(1, code, mode + ": " + err);
                String stderr = err.toString(StandardCharsets.UTF_8); // after the KEK prompt
                assertTrue(stderr.endsWith(": evkeygen: out of memory: raise -Xmx, or use fewer or smaller dims"
                        + System.lineSeparator()) && !stderr.contains("\tat "), mode + ": " + stderr);
                assertEquals(false, Files.exists(tmp.resolve("keys").resolve("x")), "no key directory");
            }
        } finally {
            KekOptions.terminal = saved;
        }
    }
}
