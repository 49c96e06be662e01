package io.evkeygen.cli;

import io.evkeygen.kms.server.KmsImport;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.AesKekProvider;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kms import DIR --key_id ID}: takes an existing key set into a KMS's store (the server's store
 * and master-key flags), verified first, its secrets resealed under the master key ({@link KmsImport}).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Take an existing key set into the KMS: verify it, reseal its secrets under the master key,"
                + " save it to the store and record it ACTIVE.")
final class KmsImportCommand extends KmsStoreCommand {
    @Parameters(paramLabel = "DIR", description = "The key set's directory.")
    Path dir;

    @Option(names = {"--key_id", "--key-id"}, required = true, paramLabel = "ID", description = "Must equal the files' kid.")
    String keyId;

    @Option(names = {"--import_seal_key_path", "--import-seal-key-path"}, paramLabel = "FILE",
            description = "The 32-byte KEK that opens DIR's secrets, if they are sealed.")
    Path importKek;

    @Option(names = "--actor", paramLabel = "NAME", description = "The actor of the key's records (default: the OS user).")
    String actor;




    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String who = actor != null ? actor : System.getProperty("user.name", "unknown");
        try (KekProvider master = master();
             KekProvider source = importKek == null ? null
                     : new AesKekProvider(Kek.readFile(importKek, w -> KekOptions.warn(err, w)));
             KeyStore keys = openStore()) {
            String where = KmsImport.importSet(dir, keyId, source, keys, master, who, Clock.systemUTC());
            spec.commandLine().getOut().println("imported " + keyId + " into " + where + " (actor " + who + ")");
        }
        return 0;
    }
}
