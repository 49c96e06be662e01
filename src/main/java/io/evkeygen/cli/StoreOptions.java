package io.evkeygen.cli;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.remote.RemoteKeyStore;
import io.evkeygen.spi.remote.StoreAccess;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --key_store local|aws|gcp|vault} and the flags of each store (pyenvector-keygen's spellings
 * where it has them). Endpoints and credentials come from each platform's standard configuration:
 * the AWS SDK's (AWS_ENDPOINT_URL_S3, AWS_PROFILE, ...), Google's Application Default Credentials
 * and GOOGLE_CLOUD_PROJECT, Vault's VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE and VAULT_CACERT.
 */
final class StoreOptions {
    // Defaults, shared by the annotations (picocli) and defaults() (QuickGenerateArgs).
    static final String DEFAULT_KEY_STORE = "local";
    static final String DEFAULT_PREFIX = "";
    static final String DEFAULT_VAULT_MOUNT = "secret";
    static final String DEFAULT_VAULT_KV_VERSION = "2";
    static final String DEFAULT_STORE_TIMEOUT = "120";

    @Option(names = {"--key_store", "--key-store"}, defaultValue = DEFAULT_KEY_STORE, paramLabel = "local|aws|gcp|vault",
            description = "Where keys are stored: local directory, AWS (S3 + Secrets Manager), gcp (Cloud Storage"
                    + " + Secret Manager) or vault (SecKey and MetadataKey in Vault KV, EncKey and EvalKey in"
                    + " --key_path) (default: ${DEFAULT-VALUE}).")
    String keyStore;

    @Mixin
    RegionOption region;

    @Option(names = {"--bucket_name", "--bucket-name"}, paramLabel = "BUCKET",
            description = "S3 or Cloud Storage bucket for EncKey and EvalKey (aws and gcp stores).")
    String bucket;

    @Option(names = {"--secret_prefix", "--secret-prefix"}, paramLabel = "PREFIX", defaultValue = DEFAULT_PREFIX,
            description = "Name prefix of secrets and objects; empty means envector/keys (aws, gcp and vault stores).")
    String prefix;

    @Option(names = {"--gcp_project", "--gcp-project"}, paramLabel = "PROJECT",
            description = "Google Cloud project (gcp store; default: GOOGLE_CLOUD_PROJECT, GCP_PROJECT, GCLOUD_PROJECT,"
                    + " then the Google client's default).")
    String gcpProject;

    @Option(names = {"--vault_addr", "--vault-addr"}, paramLabel = "URL",
            description = "Vault address (vault store; default: VAULT_ADDR, else http://127.0.0.1:8200). The token"
                    + " comes from VAULT_TOKEN only.")
    String vaultAddr;

    @Option(names = {"--vault_mount", "--vault-mount"}, paramLabel = "MOUNT", defaultValue = DEFAULT_VAULT_MOUNT,
            description = "Vault KV mount (vault store; default: ${DEFAULT-VALUE}).")
    String vaultMount;

    @Option(names = {"--vault_kv_version", "--vault-kv-version"}, paramLabel = "1|2", defaultValue = DEFAULT_VAULT_KV_VERSION,
            description = "Version of the Vault KV engine at the mount (default: ${DEFAULT-VALUE}).")
    int vaultKvVersion;

    @Option(names = {"--vault_namespace", "--vault-namespace"}, paramLabel = "NS",
            description = "Vault Enterprise namespace (vault store; default: VAULT_NAMESPACE).")
    String vaultNamespace;

    @Option(names = {"--store_timeout", "--store-timeout"}, paramLabel = "SECONDS", defaultValue = DEFAULT_STORE_TIMEOUT,
            description = "Deadline of each remote key store call, its body included: one Vault request, one S3 or"
                    + " Secrets Manager call (one multipart part, one download), one Cloud Storage request or Secret"
                    + " Manager call (default: ${DEFAULT-VALUE}; at most 86400).")
    double storeTimeoutSeconds;

    /** The command this mixin is part of: where {@code --allow_plaintext_remote} is declared, and stderr. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The options as picocli leaves them when no flag is given. */
    static StoreOptions defaults() {
        StoreOptions o = new StoreOptions();
        o.keyStore = DEFAULT_KEY_STORE;
        o.region = new RegionOption();
        o.prefix = DEFAULT_PREFIX;
        o.vaultMount = DEFAULT_VAULT_MOUNT;
        o.vaultKvVersion = Integer.parseInt(DEFAULT_VAULT_KV_VERSION);
        o.storeTimeoutSeconds = Double.parseDouble(DEFAULT_STORE_TIMEOUT);
        return o;
    }

    /** The table row {@code --key_store} names. */
    StoreTable.Row kind() {
        return StoreTable.row(keyStore);
    }

    /** Whether a key set goes somewhere other than a plain local directory. */
    boolean remote() {
        return kind().remote();
    }

    /** The {@code --key_store} value, for messages. */
    String name() {
        return kind().name();
    }

    /**
     * The reference CLI's guardrails, checked before any work: a key id for every remote store, and a
     * complete configuration (region and bucket for AWS, bucket and project for GCP, a token for Vault).
     */
    void require(String keyId, Path keyPath) {
        if (!remote()) {
            return;
        }
        if (keyId == null || keyId.isBlank()) {
            throw KeygenException.usage("--key_id is required with --key_store " + name());
        }
        config(keyPath);
    }

    /** The --region_name given, or null. */
    String region() {
        return region.region;
    }

    /** {@code --bucket_name}, required by this store. */
    String requireBucket() {
        if (bucket == null || bucket.isBlank()) {
            throw KeygenException.usage("--bucket_name is required with --key_store " + name());
        }
        return bucket;
    }

    /** Builds (and so validates) the store's configuration; null for the local store. */
    Object config(Path keyPath) {
        return kind().config().of(this, keyPath);
    }

    /** {@code --store_timeout} and the command's {@code --allow_plaintext_remote}. */
    StoreAccess access() {
        return new StoreAccess(Seconds.deadline(storeTimeoutSeconds, "--store_timeout", StoreAccess.MAX_CALL_TIMEOUT),
                allowPlaintextRemote());
    }

    /**
     * Whether the command was given {@code --allow_plaintext_remote}. The command declares it, not
     * this mixin: a server command has one flag for its server and its key store alike, and picocli
     * refuses a flag declared twice.
     */
    boolean allowPlaintextRemote() {
        OptionSpec o = command == null ? null : command.findOption(PlaintextRemoteOption.NAME);
        return o != null && Boolean.TRUE.equals(o.getValue());
    }

    /**
     * Refuses local sealing with the cloud stores, as the reference CLI does: {@code --seal_mode aes}
     * (or {@code aes_kek}), {@code --seal_key_path} and {@code --seal_key_stdin} seal with a key file the
     * store never sees. Other seal modes (a KMS-backed one) are allowed, and so is local sealing with
     * Vault (the public half stays local anyway).
     */
    void refuseLocalSealing(String sealMode, Path sealKeyPath, boolean sealKeyStdin) {
        if (kind().localSealing()) {
            return;
        }
        refuseLocalSealing(name(), sealMode, sealKeyPath, sealKeyStdin);
    }

    static void refuseLocalSealing(String store, String sealMode, Path sealKeyPath, boolean sealKeyStdin) {
        if (sealMode != null && KekOptions.normalizeMode(sealMode).equals("aes")) {
            throw KeygenException.usage("--seal_mode " + sealMode + " is not supported with --key_store " + store);
        }
        if (sealKeyPath != null) {
            throw KeygenException.usage("--seal_key_path is not supported with --key_store " + store);
        }
        if (sealKeyStdin) {
            throw KeygenException.usage("--seal_key_stdin is not supported with --key_store " + store);
        }
    }

    /**
     * The store these flags name; {@code keyPath} is the local directory (and Vault's public half). A
     * plaintext endpoint on another machine is refused, or, when allowed, warned about on stderr.
     */
    KeyStore open(Path keyPath) {
        KeyStore store = kind().opener().open(config(keyPath), keyPath);
        if (command != null && store instanceof RemoteKeyStore remote) {
            remote.plaintextWarnings().forEach(w -> KekOptions.warn(command.commandLine().getErr(),
                    w + " (" + PlaintextRemoteOption.NAME + ")"));
        }
        return store;
    }
}
