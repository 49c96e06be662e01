package io.evkeygen.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine;

/**
 * Entry point of {@code evkeygen.jar}. Exit codes: 0 ok, 1 failure, 2 usage, 3 target exists,
 * 4 invalid key, 5 i/o, 6 unseal, 7 remote store or KMS (see {@link io.evkeygen.error.KeygenException.Kind}).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        JnaDefaults.apply();
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI in-process and returns its exit code; never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)} with {@code in} as stdin (KEKs, metadata). */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        PrintWriter outW = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errW = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        boolean debug = Arrays.asList(args).contains("--debug") || "1".equals(System.getenv("EVKEYGEN_DEBUG"));
        boolean verbose = Arrays.asList(args).contains("--verbose") || "1".equals(System.getenv("EVKEYGEN_VERBOSE"));
        Redaction redaction = new Redaction(args);
        boolean terminal = System.console() != null;
        try {
            if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
                // what picocli prints for it (RootCommand.Version), without building its model
                outW.println(RootCommand.Version.line());
                return 0;
            }
            CliLogging.configure(verbose, err);
            QuickGenerateArgs quick = QuickGenerateArgs.parse(args, SUBCOMMANDS);
            Path fullJar = quick == null ? FullJarHandoff.fullJar() : null;
            if (quick != null || fullJar != null) { // a plain generation, or a hand-over to the complete jar
                try {
                    return quick != null
                            ? GenerateAction.run(quick.options, quick.store, quick.seal, terminal, in, outW, errW)
                            : FullJarHandoff.run(fullJar, args, in, out, err);
                } catch (Exception | OutOfMemoryError ex) {
                    return ErrorReporter.report(ex, errW, debug, redaction);
                }
            }
            CommandLine cl = commandLine(args, new RootCommand(terminal, in), in, out);
            cl.setOut(outW);
            cl.setErr(errW);
            // picocli's own parse errors: one line and the usage exit code, like ours.
            cl.setParameterExceptionHandler((ex, a) -> {
                errW.println(ErrorReporter.errorLine(UsageErrors.message(ex, args), redaction) + " (see --help)");
                return ExitCodes.USAGE;
            });
            cl.setExecutionExceptionHandler((ex, c, parsed) -> ErrorReporter.report(ex, errW, debug, redaction));
            try {
                return cl.execute(args);
            } catch (OutOfMemoryError ex) { // an Error passes picocli's handler by
                return ErrorReporter.report(ex, errW, debug, redaction);
            }
        } finally {
            outW.flush();
            errW.flush();
        }
    }

    /** The names of the subcommands, in the order help lists them. */
    static final List<String> SUBCOMMANDS = List.of("verify", "inspect", "reseal", "encrypt-metadata",
            "decrypt-metadata", "bench", "info", "store", "upload", "server", "kms");

    /** picocli's command line for {@code args}: the root command and the subcommands they need. */
    static CommandLine commandLine(String[] args, RootCommand root, InputStream in, PrintStream out) {
        return commandLine(root, needed(args, SUBCOMMANDS), in, out);
    }

    /** The complete model, every subcommand registered: what the man pages and shell completion describe. */
    static CommandLine completeModel() {
        return commandLine(new RootCommand(), SUBCOMMANDS, System.in, System.out);
    }

    private static CommandLine commandLine(RootCommand root, Collection<String> names, InputStream in, PrintStream out) {
        CommandLine cl = new CommandLine(root);
        for (String name : names) {
            cl.addSubcommand(name, subcommand(name, in, out));
        }
        return cl;
    }

    /** A new command object for one of {@link #SUBCOMMANDS}, reading {@code in} and printing to {@code out}. */
    private static Object subcommand(String name, InputStream in, PrintStream out) {
        return switch (name) {
            case "verify" -> new VerifyCommand(in);
            case "inspect" -> new InspectCommand(in);
            case "reseal" -> new ResealCommand(in);
            case "encrypt-metadata" -> new MetadataCommands.Encrypt(in);
            case "decrypt-metadata" -> new MetadataCommands.Decrypt(in, out);
            case "bench" -> new BenchCommand();
            case "info" -> new InfoCommand();
            case "store" -> new StoreCommand();
            case "upload" -> new StoreCommand.Upload();
            case "server" -> new ServerCommand(System.console() != null, in);
            case "kms" -> new KmsCommand(in);
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    /**
     * The subcommands this run needs. picocli builds a command's model by reflection when it is
     * added, which a cold JVM pays for every option of every command: a plain generation (all
     * flags) registers none, a subcommand run only its own; help, or a first word that may be a
     * mistyped command, registers all so picocli can list them or suggest the right one.
     */
    static Collection<String> needed(String[] args, Collection<String> all) {
        List<String> named = new ArrayList<>();
        boolean help = false;
        for (String a : args) {
            if (all.contains(a) && !named.contains(a)) {
                named.add(a);
            }
            help |= a.equals("-h") || a.equals("--help") || a.equals("help");
        }
        boolean strayWord = args.length > 0 && !args[0].startsWith("-");
        return named.isEmpty() && (help || strayWord) ? all : named;
    }

    /** Implementation-Version of the jar manifest, or "dev" when run from classes. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
