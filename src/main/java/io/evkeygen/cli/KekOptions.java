package io.evkeygen.cli;

import io.evkeygen.aws.AwsKmsKekProvider;
import io.evkeygen.error.KeygenException;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.AesKekProvider;
import io.evkeygen.spi.KekProvider;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the key-encryption key comes from: {@code --seal_mode none|aes|aws-kms}, a 32-byte KEK file
 * or stdin, or an AWS KMS key. Generation seals with it; verify, inspect, reseal and the metadata
 * commands open with it.
 */
final class KekOptions {
    @Option(names = {"--seal_mode", "--seal-mode"}, paramLabel = "MODE",
            description = "none, aes (alias aes_kek, any case) or aws-kms (generation default: none; when opening,"
                    + " implied by the KEK options).")
    String sealMode;

    @Option(names = {"--seal_key_path", "--seal-key-path"}, paramLabel = "FILE",
            description = "The 32-byte key-encryption key (AES-256) in a file.")
    Path sealKeyPath;

    @Option(names = {"--seal_key_stdin", "--seal-key-stdin"},
            description = "Read the 32-byte key-encryption key from stdin; on a terminal, prompt for it (no echo) as"
                    + " 64 hex characters, base64, or 32 characters.")
    boolean sealKeyStdin;

    @Option(names = {"--kms_key_id", "--kms-key-id"}, paramLabel = "KEY",
            description = "AWS KMS key id, ARN or alias (aws-kms mode; when opening, default: the key in the file).")
    String kmsKeyId;


    /** What a mode's factory may use besides the flags. */
    record Context(InputStream stdin, PrintWriter err, String region) {}

    /** Makes a mode's provider from the flags, refusing (usage errors) the flags the mode does not take. */
    @FunctionalInterface
    interface Factory {
        KekProvider make(KekOptions flags, Context context) throws IOException;
    }

    /**
     * One {@code --seal_mode}: its provider for generation and for opening. Adding a KEK provider is
     * adding a row; a lambda links its provider's classes (AWS KMS) only when that mode is used.
     */
    record Mode(String name, Factory sealing, Factory opening) {}

    private static final Map<String, Mode> MODES = new LinkedHashMap<>();

    static {
        mode(new Mode("none", (f, c) -> f.none(true), (f, c) -> f.none(false)));
        mode(new Mode("aes", KekOptions::aes, KekOptions::aes));
        mode(new Mode("aws-kms", (f, c) -> AwsKmsKekProvider.create(f.kmsKey(true), c.region()),
                (f, c) -> AwsKmsKekProvider.create(f.kmsKey(false), c.region())));
    }

    private static void mode(Mode m) {
        MODES.put(m.name(), m);
    }

    /** The provider generation seals with, or null for {@code --seal_mode none}; validates the combination. */
    KekProvider forSealing(InputStream stdin, PrintWriter err, String region) throws IOException {
        return mode(sealMode == null ? "none" : normalizeMode(sealMode)).sealing().make(this, new Context(stdin, err, region));
    }

    /**
     * The provider that opens a sealed set, or null when no KEK option was given. Without
     * {@code --seal_mode}, the options imply it: {@code --kms_key_id} aws-kms, a KEK file or stdin aes.
     */
    KekProvider forOpening(InputStream stdin, PrintWriter err, String region) throws IOException {
        String mode = sealMode != null ? normalizeMode(sealMode)
                : kmsKeyId != null ? "aws-kms" : kekSource() ? "aes" : "none";
        return mode(mode).opening().make(this, new Context(stdin, err, region));
    }

    private Mode mode(String name) {
        Mode m = MODES.get(name);
        if (m == null) {
            throw KeygenException.usage("--seal_mode must be " + String.join(", ", MODES.keySet()).replaceAll(", ([^,]*)$",
                    " or $1") + " (aes_kek means aes), not '" + sealMode + "'");
        }
        return m;
    }

    private boolean kekSource() {
        return sealKeyPath != null || sealKeyStdin;
    }

    /** No sealing: refuses KEK options (when sealing, {@code --kms_key_id} too). */
    private KekProvider none(boolean sealing) {
        if (sealing && (kekSource() || kmsKeyId != null)) {
            throw KeygenException.usage("--seal_key_path, --seal_key_stdin and --kms_key_id need --seal_mode aes"
                    + " or aws-kms");
        }
        if (kmsKeyId != null) {
            throw KeygenException.usage("--kms_key_id needs --seal_mode aws-kms");
        }
        if (kekSource()) {
            throw KeygenException.usage("--seal_key_path and --seal_key_stdin need --seal_mode aes");
        }
        return null;
    }

    /** The KMS key for aws-kms, required when sealing (opening defaults to the key in the file). */
    private String kmsKey(boolean sealing) {
        if (kekSource()) {
            throw KeygenException.usage("--seal_mode aws-kms takes no --seal_key_path or --seal_key_stdin");
        }
        if (sealing && (kmsKeyId == null || kmsKeyId.isBlank())) {
            throw KeygenException.usage("--seal_mode aws-kms needs --kms_key_id");
        }
        return kmsKeyId;
    }

    /** The seal mode in our spelling: lower case, pyenvector 1.5's {@code aes_kek} read as {@code aes}. */
    static String normalizeMode(String mode) {
        String m = mode.strip().toLowerCase(Locale.ROOT);
        return m.equals("aes_kek") || m.equals("aes-kek") ? "aes" : m;
    }

    /** The terminal {@code --seal_key_stdin} prompts on; tests replace it. */
    static volatile Terminal terminal = Terminal.SYSTEM;

    /** Reading a KEK typed at a terminal, without echo. */
    interface Terminal {
        /** Whether {@code stdin} is an interactive terminal. */
        boolean isTerminal(InputStream stdin);

        /** A line read without echo (the caller zeroes it), or null at end of input. */
        char[] readPassword();

        Terminal SYSTEM = new Terminal() {
            @Override
            public boolean isTerminal(InputStream stdin) {
                Console c = System.console();
                if (stdin != System.in || c == null) {
                    return false;
                }
                try { // Java 22+: a Console exists even when redirected; ask it
                    return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
                } catch (ReflectiveOperationException e) {
                    return true; // Java 17-21: a Console means a terminal
                }
            }

            @Override
            public char[] readPassword() {
                return System.console().readPassword();
            }
        };
    }

    /** Prompts on stderr and reads the KEK without echo: 64 hex characters, base64 of 32 bytes, or 32 characters. */
    static Kek promptKek(PrintWriter err) {
        err.print("Key-encryption key (64 hex characters, base64, or 32 characters; not echoed): ");
        err.flush();
        char[] typed = terminal.readPassword();
        if (typed == null) {
            throw KeygenException.usage(KeygenException.Setting.KEK, "no key-encryption key was typed");
        }
        byte[] key = null;
        try {
            String t = new String(typed).strip();
            if (t.length() == 64 && t.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
                key = HexFormat.of().parseHex(t);
            } else if (t.getBytes(StandardCharsets.UTF_8).length == Kek.LENGTH) {
                key = t.getBytes(StandardCharsets.UTF_8);
            } else {
                try {
                    key = Base64.getDecoder().decode(t);
                } catch (IllegalArgumentException e) {
                    key = new byte[0];
                }
            }
            if (key.length != Kek.LENGTH) {
                throw KeygenException.usage(KeygenException.Setting.KEK, "the typed key-encryption key is not 64 hex"
                        + " characters, base64 of 32 bytes, or 32 characters");
            }
            return Kek.of(key);
        } finally {
            Arrays.fill(typed, '\0');
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    boolean usesStdin() {
        return sealKeyStdin;
    }

    /** aes: a KEK from a file or stdin (prompted on a terminal); no {@code --kms_key_id}. */
    private KekProvider aes(Context c) throws IOException {
        if (kmsKeyId != null) {
            throw KeygenException.usage("--kms_key_id needs --seal_mode aws-kms");
        }
        if (!kekSource()) {
            throw KeygenException.usage("--seal_mode aes needs --seal_key_path FILE or --seal_key_stdin");
        }
        if (sealKeyPath != null && sealKeyStdin) {
            throw KeygenException.usage("give --seal_key_path or --seal_key_stdin, not both");
        }
        PrintWriter err = c.err();
        Kek kek;
        if (sealKeyStdin && terminal.isTerminal(c.stdin())) {
            kek = promptKek(err);
        } else {
            kek = sealKeyStdin ? Kek.read(c.stdin(), "stdin", w -> warn(err, w)) : Kek.readFile(sealKeyPath, w -> warn(err, w));
        }
        return new AesKekProvider(kek);
    }

    static void warn(PrintWriter err, String message) {
        err.println(ErrorReporter.PREFIX + "warning: " + message);
        err.flush();
    }

}
