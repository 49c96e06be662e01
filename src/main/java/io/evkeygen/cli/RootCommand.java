package io.evkeygen.cli;

import io.evkeygen.KeyGenerator;
import io.evkeygen.engine.KeyEngine;
import io.evkeygen.params.EvalMode;
import io.evkeygen.seal.KekProvider;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Without a subcommand: generate a key set, as pyenvector-keygen does. */
@Command(name = "evkeygen", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        sortOptions = false,
        description = "Generate enVector key sets (a drop-in for pyenvector-keygen).",
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage, 3 target exists, 4 invalid key, 5 i/o, 6 unseal, 7 KMS/remote store."})
final class RootCommand implements Callable<Integer> {
    @Mixin
    GenerateOptions options;

    @Mixin
    KekOptions seal;

    @Option(names = "--debug", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Print stack traces on errors (also EVKEYGEN_DEBUG=1).")
    boolean debug;

    @Spec
    CommandSpec spec;

    private final Function<String, KeyEngine> engines;
    private final boolean terminal;
    private final InputStream stdin;

    RootCommand(Function<String, KeyEngine> engines, boolean terminal, InputStream stdin) {
        this.engines = engines;
        this.terminal = terminal;
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws Exception {
        KeyGenerator.Builder b = options.builder(engines);
        // Only FLAT runs long enough to deserve a progress line, and only a person watching sees it.
        if (terminal && options.mode() == EvalMode.FLAT) {
            b.progress(new ProgressLine(spec.commandLine().getErr()));
        }
        try (KekProvider sealer = seal.forSealing(stdin, spec.commandLine().getErr())) {
            Path dir = b.seal(sealer).build().generateKeys();
            spec.commandLine().getOut().println("Key set written to " + dir
                    + (sealer == null ? "" : " (SecKey and MetadataKey sealed with " + sealer.description() + ")"));
        }
        return 0;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"evkeygen " + Main.version()};
        }
    }
}
