package io.evkeygen.cli;

import io.evkeygen.error.KeygenException.Kind;
import io.evkeygen.error.KeygenException.Setting;
import io.evkeygen.error.KeygenException;

/** The CLI's documented exit codes and flag names: the library speaks of kinds and settings, never of either. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int IO = 5;

    private ExitCodes() {}

    static int of(Kind kind) {
        return switch (kind) {
            case FAILURE -> FAILURE;
            case USAGE -> USAGE;
            case TARGET_EXISTS -> 3;
            case INVALID_KEY -> 4;
            case IO -> IO;
            case UNSEAL -> 6;
            case STORE -> 7;
        };
    }

    /** The flags that give a setting, as pyenvector-keygen spells them. */
    static String flag(Setting setting) {
        return switch (setting) {
            case SEED -> "--seed or --seed-file";
            case KEY_ID -> "--key_id";
            case THREADS -> "--threads";
            case REGION -> "--region_name";
            case BUCKET -> "--bucket_name";
            case KEK -> "--seal_key_path, --seal_key_stdin or --seal_mode aws-kms";
            case KMS_KEY -> "--seal_mode aws-kms --kms_key_id";
            case PROJECT -> "--gcp_project or GOOGLE_CLOUD_PROJECT";
            case VAULT -> "--vault_addr, --vault_mount or VAULT_TOKEN";
            case TRANSIT_KEY -> "--seal_mode vault-transit --vault_transit_key";
            case PLAINTEXT_REMOTE -> "--allow_plaintext_remote";
            case LEGACY_METADATA_KEY -> "--legacy_metadata_key";
            case PREFIX -> "--secret_prefix";
            case STORE_TIMEOUT -> "--store_timeout";
        };
    }

    /** The library's message with the flag to change appended. */
    static String message(KeygenException e) {
        String m = e.getMessage();
        return e.setting().map(s -> m + " (" + flag(s) + ")").orElse(m);
    }
}
