package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --help} and the README's command-line tables describe the same flags and exit codes. */
class HelpTextTest {
    private static String help() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"--help"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyReadmeGenerationFlagIsInTheHelp() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("## Command line"), readme.indexOf("Output is atomic"));
        Matcher m = Pattern.compile("^\\| `(--[a-z_-]+)", Pattern.MULTILINE).matcher(table);
        List<String> flags = new ArrayList<>();
        while (m.find()) {
            flags.add(m.group(1));
        }
        assertTrue(flags.size() >= 10, flags.toString());
        String help = help();
        for (String f : flags) {
            assertTrue(help.contains(f), f + " is documented but not in --help");
        }
        assertTrue(help.contains("--backend=auto|native|java"), help);
    }

    @Test
    void exitCodesAgreeWithTheReadmeAndTheHelpFooter() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String help = help();
        String[] words = {"failure", "usage", "target exists", "invalid key", "i/o", "unseal", "KMS/remote store"};
        KeygenException.Kind[] kinds = {KeygenException.Kind.FAILURE, KeygenException.Kind.USAGE,
            KeygenException.Kind.TARGET_EXISTS, KeygenException.Kind.INVALID_KEY, KeygenException.Kind.IO,
            KeygenException.Kind.UNSEAL, KeygenException.Kind.STORE};
        for (int i = 0; i < kinds.length; i++) {
            int code = ExitCodes.of(kinds[i]);
            assertEquals(i + 1, code, kinds[i].name());
            assertTrue(help.replaceAll("\\s+", " ").contains(code + " " + words[i]), words[i] + " in the help footer");
            assertTrue(readme.contains("| " + code + " |"), "exit code " + code + " in the README table");
        }
    }
}
