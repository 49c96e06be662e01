package io.evkeygen.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training runs {@code mvn package} records the launcher's class-data archives from, the commands
 * of one archive in one JVM: {@code generate} (key generation and --version only: every class in an
 * archive costs each run time to map) for {@code target/evkeygen.jsa}, a static archive dumped from
 * the class list this run writes ({@code -XX:DumpLoadedClassList}); {@code tools} (generation, help
 * and the common subcommands) for {@code target/evkeygen-tools.jsa}, a dynamic one
 * ({@code -XX:ArchiveClassesAtExit}). Exits 1 naming the first command that failed.
 */
public final class CdsTraining {
    private CdsTraining() {}

    /** {@code args[0]}: a scratch directory for the key sets it writes; {@code args[1]}: generate or tools. */
    public static void main(String[] args) {
        JnaDefaults.apply();
        String keys = Path.of(args[0]).toString();
        String demo = Path.of(keys, "demo").toString();
        List<String[]> generate = List.of(
                new String[] {"--version"},
                new String[] {"--key_path", keys, "--key_id", "demo", "--dim", "1024"},
                new String[] {"--key_path", keys, "--key_id", "mm", "--dim", "32", "--eval_mode", "mm"});
        List<String[]> tools = List.of(
                new String[] {"--help"},
                new String[] {"verify", demo},
                new String[] {"inspect", demo},
                new String[] {"info"});
        List<String[]> commands = new ArrayList<>(generate);
        if (args.length < 2 || !args[1].equals("generate")) {
            commands.addAll(tools);
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        for (String[] command : commands) {
            if (Main.run(command, quiet, quiet) != 0) {
                System.err.println("evkeygen: CDS training: '" + String.join(" ", command) + "' failed");
                System.exit(1);
            }
        }
        System.exit(0);
    }
}
