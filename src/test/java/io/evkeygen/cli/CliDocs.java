package io.evkeygen.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build step ({@code mvn package}, prepare-package): writes what the release archives carry from
 * the CLI's complete picocli model ({@link Main#completeModel()}), so they never drift from it:
 * {@code adoc/} the man pages' AsciiDoc sources, one per command (picocli-codegen's
 * ManPageGenerator; Asciidoctor turns them into {@code man/man1/*.1}), and
 * {@code completion/evkeygen.bash} the shell completion (picocli's AutoComplete; sourced by zsh, the
 * script turns on zsh's bashcompinit itself).
 */
public final class CliDocs {
    private CliDocs() {}

    /** {@code args[0]}: the output directory; {@code args[1]}: the version the pages name (the build's). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        CommandLine model = Main.completeModel();
        if (args.length > 1) { // run from classes, Main.version() knows no manifest
            model.getCommandSpec().versionProvider(() -> new String[] {"evkeygen " + args[1]});
        }
        Path adoc = Files.createDirectories(out.resolve("adoc"));
        int rc = ManPageGenerator.generateManPage(adoc.toFile(), null, new boolean[0], true, model.getCommandSpec());
        if (rc != 0) {
            throw new IOException("picocli ManPageGenerator failed with exit code " + rc);
        }
        Path completion = Files.createDirectories(out.resolve("completion"));
        Files.writeString(completion.resolve("evkeygen.bash"), AutoComplete.bash("evkeygen", model),
                StandardCharsets.UTF_8);
    }
}
