package io.evkeygen.cli;

import io.evkeygen.KeyStores;
import io.evkeygen.aws.AwsKeyStore;
import io.evkeygen.aws.AwsStoreConfig;
import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KeyStore;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --key_store local|aws} and the AWS flags of pyenvector-keygen. Endpoints and credentials
 * come from the AWS SDK's standard configuration (AWS_ENDPOINT_URL_S3, AWS_PROFILE, ...).
 */
final class AwsOptions {
    @Option(names = {"--key_store", "--key-store"}, defaultValue = "local", paramLabel = "local|aws",
            description = "Where keys are stored: local directory or AWS (S3 + Secrets Manager) (default: ${DEFAULT-VALUE}).")
    String keyStore;


    @Mixin
    RegionOption region;

    @Option(names = {"--bucket_name", "--bucket-name"}, paramLabel = "BUCKET",
            description = "S3 bucket for EncKey and EvalKey (aws store).")
    String bucket;

    @Option(names = {"--secret_prefix", "--secret-prefix"}, paramLabel = "PREFIX", defaultValue = "",
            description = "Name prefix of secrets and objects; empty means envector/keys (aws store).")
    String prefix;

    boolean aws() {
        return switch (keyStore.toLowerCase(Locale.ROOT)) {
            case "local" -> false;
            case "aws" -> true;
            default -> throw KeygenException.usage("--key_store must be local or aws, got " + keyStore);
        };
    }

    /** The reference CLI's guardrails: key id, region and bucket are required in AWS mode. */
    void requireAws(String keyId) {
        if (keyId == null || keyId.isBlank()) {
            throw KeygenException.usage("--key_id is required with --key_store aws");
        }
        config();
    }

    /** The --region_name given, or null. */
    String region() {
        return region.region;
    }

    AwsStoreConfig config() {
        return AwsStoreConfig.of(region.region, bucket, prefix); // usage errors for a missing region or bucket
    }

    /**
     * Refuses local sealing in AWS mode, as the reference CLI does: {@code --seal_mode aes},
     * {@code --seal_key_path} and {@code --seal_key_stdin} seal with a key file the store never sees.
     * Other seal modes (a KMS-backed one) are allowed. Wired to the seal flags when they land.
     */
    static void refuseLocalSealing(boolean aws, String sealMode, Path sealKeyPath, boolean sealKeyStdin) {
        if (!aws) {
            return;
        }
        if (sealMode != null && sealMode.equalsIgnoreCase("aes")) {
            throw KeygenException.usage("--seal_mode aes is not supported with --key_store aws");
        }
        if (sealKeyPath != null) {
            throw KeygenException.usage("--seal_key_path is not supported with --key_store aws");
        }
        if (sealKeyStdin) {
            throw KeygenException.usage("--seal_key_stdin is not supported with --key_store aws");
        }
    }

    /** The store these flags name: AWS, or the local directory {@code keyPath}. */
    KeyStore open(Path keyPath) {
        return aws() ? new AwsKeyStore(config()) : KeyStores.local(keyPath);
    }
}
