package io.evkeygen.cli;

import io.evkeygen.aws.AwsKmsKekProvider;
import io.evkeygen.error.KeygenException;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.AesKekProvider;
import io.evkeygen.spi.KekProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Where the key-encryption key comes from: {@code --seal_mode none|aes|aws-kms}, a 32-byte KEK file
 * or stdin, or an AWS KMS key. Generation seals with it; verify, inspect, reseal and the metadata
 * commands open with it.
 */
final class KekOptions {
    @Option(names = {"--seal_mode", "--seal-mode"}, paramLabel = "MODE",
            description = "none, aes or aws-kms (generation default: none; when opening, implied by the KEK options).")
    String sealMode;

    @Option(names = {"--seal_key_path", "--seal-key-path"}, paramLabel = "FILE",
            description = "The 32-byte key-encryption key (AES-256) in a file.")
    Path sealKeyPath;

    @Option(names = {"--seal_key_stdin", "--seal-key-stdin"},
            description = "Read the 32-byte key-encryption key from stdin.")
    boolean sealKeyStdin;

    @Option(names = {"--kms_key_id", "--kms-key-id"}, paramLabel = "KEY",
            description = "AWS KMS key id, ARN or alias (aws-kms mode; when opening, default: the key in the file).")
    String kmsKeyId;


    /** The provider generation seals with, or null for {@code --seal_mode none}; validates the combination. */
    KekProvider forSealing(InputStream stdin, PrintWriter err, String region) throws IOException {
        String mode = sealMode == null ? "none" : sealMode.toLowerCase(Locale.ROOT);
        boolean kekSource = sealKeyPath != null || sealKeyStdin;
        switch (mode) {
            case "none" -> {
                if (kekSource || kmsKeyId != null) {
                    throw KeygenException.usage("--seal_key_path, --seal_key_stdin and --kms_key_id need --seal_mode aes"
                            + " or aws-kms");
                }
                return null;
            }
            case "aes" -> {
                if (kmsKeyId != null) {
                    throw KeygenException.usage("--kms_key_id needs --seal_mode aws-kms");
                }
                if (!kekSource) {
                    throw KeygenException.usage("--seal_mode aes needs --seal_key_path FILE or --seal_key_stdin");
                }
                return aes(stdin, err);
            }
            case "aws-kms" -> {
                if (kekSource) {
                    throw KeygenException.usage("--seal_mode aws-kms takes no --seal_key_path or --seal_key_stdin");
                }
                if (kmsKeyId == null || kmsKeyId.isBlank()) {
                    throw KeygenException.usage("--seal_mode aws-kms needs --kms_key_id");
                }
                return AwsKmsKekProvider.create(kmsKeyId, region);
            }
            default -> throw badMode();
        }
    }

    /** The provider that opens a sealed set, or null when no KEK option was given. */
    KekProvider forOpening(InputStream stdin, PrintWriter err, String region) throws IOException {
        String mode = sealMode == null ? null : sealMode.toLowerCase(Locale.ROOT);
        boolean kekSource = sealKeyPath != null || sealKeyStdin;
        if ("aws-kms".equals(mode) || (mode == null && kmsKeyId != null)) {
            if (kekSource) {
                throw KeygenException.usage("--seal_mode aws-kms takes no --seal_key_path or --seal_key_stdin");
            }
            return AwsKmsKekProvider.create(kmsKeyId, region);
        }
        if (kmsKeyId != null) {
            throw KeygenException.usage("--kms_key_id needs --seal_mode aws-kms");
        }
        if (mode == null || mode.equals("aes")) {
            if (!kekSource) {
                if (mode != null) {
                    throw KeygenException.usage("--seal_mode aes needs --seal_key_path FILE or --seal_key_stdin");
                }
                return null;
            }
            return aes(stdin, err);
        }
        if (mode.equals("none")) {
            if (kekSource) {
                throw KeygenException.usage("--seal_key_path and --seal_key_stdin need --seal_mode aes");
            }
            return null;
        }
        throw badMode();
    }

    boolean usesStdin() {
        return sealKeyStdin;
    }

    private KekProvider aes(InputStream stdin, PrintWriter err) throws IOException {
        if (sealKeyPath != null && sealKeyStdin) {
            throw KeygenException.usage("give --seal_key_path or --seal_key_stdin, not both");
        }
        Kek kek = sealKeyStdin ? Kek.read(stdin, "stdin", w -> warn(err, w)) : Kek.readFile(sealKeyPath, w -> warn(err, w));
        return new AesKekProvider(kek);
    }

    static void warn(PrintWriter err, String message) {
        err.println(ErrorReporter.PREFIX + "warning: " + message);
        err.flush();
    }

    private KeygenException badMode() {
        return KeygenException.usage("--seal_mode must be none, aes or aws-kms, not '" + sealMode + "'");
    }
}
