package io.evkeygen.cli;

import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Without a subcommand: generate a key set, as pyenvector-keygen does. */
@Command(name = "evkeygen", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        sortOptions = false,
        description = "Generate enVector key sets (a drop-in for pyenvector-keygen).",
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage, 3 target exists, 4 invalid key, 5 i/o, 6 unseal, 7 KMS/remote store."})
final class RootCommand implements Callable<Integer> {
    @Mixin
    GenerateOptions options;

    @Mixin
    StoreOptions store;

    @Mixin
    KekOptions seal;

    @Mixin
    PlaintextRemoteOption plaintextRemote;

    @Option(names = "--debug", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Print stack traces on errors (also EVKEYGEN_DEBUG=1).")
    boolean debug;

    @Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Log the backend choice and the library's log to stderr (also EVKEYGEN_VERBOSE=1).")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private final boolean terminal;
    private final InputStream stdin;

    /** For picocli's default factory (AutoComplete, the man pages): the process's own console and stdin. */
    RootCommand() {
        this(System.console() != null, System.in);
    }

    RootCommand(boolean terminal, InputStream stdin) {
        this.terminal = terminal;
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws Exception {
        return GenerateAction.run(options, store, seal, terminal, stdin, spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line()};
        }

        /** {@code evkeygen <version>}; Main prints it for a lone --version without picocli. */
        static String line() {
            return "evkeygen " + Main.version();
        }
    }
}
