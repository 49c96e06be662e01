package io.evkeygen.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The training run {@code mvn package} records the class-data archive {@code target/evkeygen.jsa}
 * from (with {@code -XX:ArchiveClassesAtExit}): the common commands in one JVM, since a dynamic
 * archive holds what one process loaded. Exits 1 naming the first command that failed.
 */
public final class CdsTraining {
    private CdsTraining() {}

    /** {@code args[0]}: a scratch directory for the key sets it writes. */
    public static void main(String[] args) {
        JnaDefaults.apply();
        String keys = Path.of(args[0]).toString();
        String demo = Path.of(keys, "demo").toString();
        List<String[]> commands = List.of(
                new String[] {"--version"},
                new String[] {"--help"},
                new String[] {"--key_path", keys, "--key_id", "demo", "--dim", "1024"},
                new String[] {"--key_path", keys, "--key_id", "mm", "--dim", "32", "--eval_mode", "mm"},
                new String[] {"verify", demo},
                new String[] {"inspect", demo},
                new String[] {"info"});
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
