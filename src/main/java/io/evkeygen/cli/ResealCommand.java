package io.evkeygen.cli;

import io.evkeygen.KeySet;
import io.evkeygen.aws.AwsKmsKekProvider;
import io.evkeygen.error.KeygenException;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.AesKekProvider;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.vault.VaultTransitConfig;
import io.evkeygen.vault.VaultTransitKekProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Rotates the KEK of a key set, seals an unsealed one, or unseals ({@code --to none}): both secret
 * files change or neither; EncKey and EvalKey are untouched.
 */
@Command(name = "reseal", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Re-seal SecKey.json and MetadataKey.json under a new KEK (or seal / unseal them), atomically.")
final class ResealCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The key directory.")
    Path dir;

    @Mixin
    KekOptions old;

    @Mixin
    RegionOption region;

    @Option(names = {"--new_seal_key_path", "--new-seal-key-path"}, paramLabel = "FILE",
            description = "The new 32-byte KEK in a file.")
    Path newKeyPath;

    @Option(names = {"--new_seal_key_stdin", "--new-seal-key-stdin"}, description = "Read the new 32-byte KEK from stdin.")
    boolean newKeyStdin;

    @Option(names = {"--new_kms_key_id", "--new-kms-key-id"}, paramLabel = "KEY",
            description = "Seal with data keys of this AWS KMS key (id, ARN or alias).")
    String newKmsKeyId;

    @Option(names = {"--new_vault_transit_key", "--new-vault-transit-key"}, paramLabel = "NAME",
            description = "Seal with data keys of this Vault Transit key, at its latest version (Vault from VAULT_ADDR,"
                    + " VAULT_TOKEN).")
    String newVaultTransitKey;

    @Option(names = {"--new_vault_transit_mount", "--new-vault-transit-mount"}, paramLabel = "MOUNT",
            description = "Mount of that Transit engine (default: transit).")
    String newVaultTransitMount;

    @Option(names = "--to", paramLabel = "MODE",
            description = "none, aes, aws-kms or vault-transit (default: implied by the --new_* option); none unseals.")
    String to;

    @Spec
    CommandSpec spec;

    private final InputStream stdin;

    ResealCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws Exception {
        if (old.usesStdin() && newKeyStdin) {
            throw KeygenException.usage("only one key-encryption key can come from stdin");
        }
        PrintWriter err = spec.commandLine().getErr();
        String target = target();
        try (KekProvider from = old.forOpening(stdin, err, region.region); KekProvider into = newProvider(target, err)) {
            KeySet.reseal(dir, from, into);
            spec.commandLine().getOut().println("Resealed " + dir + ": "
                    + (into == null ? "SecKey and MetadataKey are now unsealed" : "sealed with " + into.description()));
        }
        return 0;
    }

    private String target() {
        int sources = (newKeyPath != null ? 1 : 0) + (newKeyStdin ? 1 : 0) + (newKmsKeyId != null ? 1 : 0)
                + (newVaultTransitKey != null ? 1 : 0);
        if (sources > 1) {
            throw KeygenException.usage("give one of --new_seal_key_path, --new_seal_key_stdin, --new_kms_key_id and"
                    + " --new_vault_transit_key");
        }
        String mode = to != null ? to.toLowerCase(Locale.ROOT)
                : newKmsKeyId != null ? "aws-kms" : newVaultTransitKey != null ? "vault-transit" : sources == 1 ? "aes" : null;
        if (mode == null) {
            throw KeygenException.usage("give --new_seal_key_path, --new_seal_key_stdin, --new_kms_key_id,"
                    + " --new_vault_transit_key or --to none");
        }
        boolean ok = switch (mode) {
            case "none" -> sources == 0;
            case "aes" -> newKeyPath != null || newKeyStdin;
            case "aws-kms" -> newKmsKeyId != null;
            case "vault-transit" -> newVaultTransitKey != null;
            default -> throw KeygenException.usage("--to must be none, aes, aws-kms or vault-transit, not '" + to + "'");
        };
        if (!ok) {
            throw KeygenException.usage("--to " + mode + switch (mode) {
                case "none" -> " takes no --new_* key option";
                case "aes" -> " needs --new_seal_key_path or --new_seal_key_stdin";
                case "aws-kms" -> " needs --new_kms_key_id";
                default -> " needs --new_vault_transit_key";
            });
        }
        if (newVaultTransitMount != null && !mode.equals("vault-transit")) {
            throw KeygenException.usage("--new_vault_transit_mount needs --new_vault_transit_key");
        }
        return mode;
    }

    private KekProvider newProvider(String mode, PrintWriter err) throws IOException {
        return switch (mode) {
            case "none" -> null;
            case "aws-kms" -> AwsKmsKekProvider.create(newKmsKeyId, region.region);
            case "vault-transit" -> new VaultTransitKekProvider(VaultTransitConfig.fromEnvironment(null, null,
                    newVaultTransitMount, newVaultTransitKey, null));
            default -> new AesKekProvider(newKeyStdin
                    ? Kek.read(stdin, "stdin", w -> KekOptions.warn(err, w))
                    : Kek.readFile(newKeyPath, w -> KekOptions.warn(err, w)));
        };
    }
}
