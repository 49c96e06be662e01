package io.evkeygen.cli;

import io.evkeygen.error.KeygenException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code evkeygen kms ...}: run the enVector KMS (serve, add-token, import) and speak to one
 * (generate, status, details, download, rotate, suspend, resume, destroy, delete, encrypt-metadata,
 * decrypt-metadata).
 */
@Command(name = "kms", mixinStandardHelpOptions = true,
        description = "Run the enVector key management service, or call one (kms.v2 over gRPC).",
        subcommands = {KmsServeCommand.class, KmsAddTokenCommand.class, KmsImportCommand.class,
                KmsClientCommands.Generate.class, KmsClientCommands.StatusCmd.class,
                KmsClientCommands.Details.class, KmsClientCommands.Download.class, KmsClientCommands.Rotate.class,
                KmsClientCommands.Suspend.class, KmsClientCommands.Resume.class, KmsClientCommands.Destroy.class,
                KmsClientCommands.Delete.class, KmsClientCommands.EncryptMetadata.class,
                KmsClientCommands.DecryptMetadata.class},
        footer = {"", "Exit codes: 0 ok, 2 usage, 3 target exists, 4 invalid key, 5 i/o, 7 KMS (non-Success return code,"
                + " connection refused, TLS failure, deadline exceeded)."})
final class KmsCommand implements Callable<Integer> {
    /** Where {@code --seal_key_stdin} reads (the process's stdin, or a test's). */
    final InputStream stdin;

    KmsCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        throw KeygenException.usage("kms needs a subcommand: serve, add-token, import, generate, status, details,"
                + " download, rotate, suspend, resume, destroy, delete, encrypt-metadata or decrypt-metadata");
    }
}
