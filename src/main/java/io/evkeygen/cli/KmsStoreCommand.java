package io.evkeygen.cli;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the KMS's own commands ({@code kms serve}, {@code kms import}) share: the store flags as for
 * generation, and the master key from the KEK flags, which is required (never "none").
 */
abstract class KmsStoreCommand implements Callable<Integer> {
    @Option(names = {"--key_path", "--key-path"}, paramLabel = "DIR", defaultValue = "./keys",
            description = "The KMS's local key directory parent (local store; Vault's public half) (default: ${DEFAULT-VALUE}).")
    Path keyPath;

    @Mixin
    StoreOptions store;

    @Mixin
    PlaintextRemoteOption plaintextRemote;

    @Mixin
    KekOptions kek;

    @Spec
    CommandSpec spec;

    /** The master key: {@code --seal_key_path} (or stdin, the kms command's), {@code --kms_key_id}, ... */
    KekProvider master() throws IOException {
        KekProvider master = kek.forOpening(((KmsCommand) spec.parent().userObject()).stdin,
                spec.commandLine().getErr(), store.region());
        if (master == null) {
            throw KeygenException.usage("the KMS seals every SecKey and MetadataKey: give its master key with"
                    + " --seal_key_path FILE (32 bytes) or --kms_key_id KEY (AWS KMS)");
        }
        return master;
    }

    KeyStore openStore() {
        return store.open(keyPath);
    }

    /** {@code --key_path} when the store is the local directory (rotation and destruction work there), else null. */
    Path localRoot() {
        return store.remote() ? null : keyPath;
    }
}
