package io.evkeygen.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Entry point of {@code evkeygen.jar}. Exit codes: 0 ok, 1 failure, 2 usage, 3 target exists,
 * 4 invalid key, 5 i/o, 6 unseal, 7 remote store or KMS (see {@link io.evkeygen.error.KeygenException.Kind}).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI in-process and returns its exit code; never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)} with {@code in} as stdin (KEKs, metadata). */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        PrintWriter outW = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errW = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        boolean debug = Arrays.asList(args).contains("--debug") || "1".equals(System.getenv("EVKEYGEN_DEBUG"));
        CliLogging.configure(Arrays.asList(args).contains("--verbose") || "1".equals(System.getenv("EVKEYGEN_VERBOSE")), err);
        CommandLine cl = new CommandLine(new RootCommand(System.console() != null, in));
        cl.addSubcommand("verify", new VerifyCommand(in));
        cl.addSubcommand("inspect", new InspectCommand(in));
        cl.addSubcommand("reseal", new ResealCommand(in));
        cl.addSubcommand("encrypt-metadata", new MetadataCommands.Encrypt(in));
        cl.addSubcommand("decrypt-metadata", new MetadataCommands.Decrypt(in, out));
        cl.addSubcommand("bench", new BenchCommand());
        cl.addSubcommand("info", new InfoCommand());
        cl.addSubcommand("store", new StoreCommand());
        cl.addSubcommand("upload", new StoreCommand.Upload());
        cl.addSubcommand("server", new ServerCommand(System.console() != null, in));
        cl.setOut(outW);
        cl.setErr(errW);
        // picocli's own parse errors: one line and the usage exit code, like ours.
        Redaction redaction = new Redaction(args);
        cl.setParameterExceptionHandler((ex, a) -> {
            errW.println(redaction.apply(ErrorReporter.PREFIX + ErrorReporter.oneLine(UsageErrors.message(ex))
                    + " (see --help)"));
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> ErrorReporter.report(ex, errW, debug, redaction));
        try {
            return cl.execute(args);
        } finally {
            outW.flush();
            errW.flush();
        }
    }

    /** Implementation-Version of the jar manifest, or "dev" when run from classes. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
