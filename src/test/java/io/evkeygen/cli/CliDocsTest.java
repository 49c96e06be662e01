package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the release archives' man pages and shell completion are made from ({@link CliDocs}). */
class CliDocsTest {
    @TempDir
    Path dir;

    @Test
    void completionOffersTheRealSubcommandsAndFlags() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        CliDocs.main(new String[] {dir.toString()});
        Path script = dir.resolve("completion/evkeygen.bash");
        assertEquals(Set.of("verify"), complete(script, "evkeygen", "ver"));
        assertEquals(new TreeSet<>(Main.SUBCOMMANDS), complete(script, "evkeygen", ""));
        assertTrue(complete(script, "evkeygen", "--key_").containsAll(List.of("--key_path", "--key_id", "--key_store")));
        assertTrue(complete(script, "evkeygen", "kms", "").containsAll(List.of("serve", "generate", "add-token")));
        assertEquals(Set.of("--seal_key_path"), complete(script, "evkeygen", "verify", "--seal_key_p"));
    }

    @Test
    void everyCommandHasAManPage() throws Exception {
        CliDocs.main(new String[] {dir.toString()});
        for (String sub : Main.SUBCOMMANDS) {
            Path page = dir.resolve("adoc/evkeygen-" + sub + ".adoc");
            assertTrue(Files.isRegularFile(page), "no man page for " + sub);
        }
        String root = Files.readString(dir.resolve("adoc/evkeygen.adoc"), StandardCharsets.UTF_8);
        assertTrue(root.contains("--key_path"), "the root page lists the generation flags");
        assertTrue(root.contains("Generate enVector key sets"), "the root page carries the description");
        assertTrue(Files.isRegularFile(dir.resolve("adoc/evkeygen-kms-serve.adoc")), "nested commands get pages too");
    }

    /** The words bash's completion offers for the last of {@code words} (the one being typed). */
    private static Set<String> complete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append(" '").append(w).append('\'');
        }
        String program = "source \"$1\"; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; _complete_evkeygen;"
                + " printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("/bin/bash", "-c", program, "bash", script.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        Set<String> offered = new TreeSet<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                offered.add(line.strip());
            }
        }
        return offered;
    }
}
