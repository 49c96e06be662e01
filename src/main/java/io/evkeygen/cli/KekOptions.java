package io.evkeygen.cli;

import io.evkeygen.aws.AwsKmsKekProvider;
import io.evkeygen.error.KeygenException;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.AesKekProvider;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.vault.VaultTransitConfig;
import io.evkeygen.vault.VaultTransitKekProvider;
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
 * Where the key-encryption key comes from: {@code --seal_mode none|aes|aws-kms|vault-transit}, a
 * 32-byte KEK file or stdin, an AWS KMS key or a Vault Transit key. Generation seals with it; verify, inspect, reseal and the metadata
 * commands open with it.
 */
final class KekOptions {
    @Option(names = {"--seal_mode", "--seal-mode"}, paramLabel = "MODE",
            description = "none, aes (alias aes_kek, any case), aws-kms or vault-transit (generation default: none;"
                    + " when opening, implied by the KEK options).")
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

    @Option(names = {"--vault_transit_key", "--vault-transit-key"}, paramLabel = "NAME",
            description = "Vault Transit key that wraps each data key (vault-transit mode; when opening, default: the"
                    + " key in the file). Vault is reached as for the vault store: --vault_addr where the command has"
                    + " it, else VAULT_ADDR; VAULT_TOKEN, VAULT_NAMESPACE, VAULT_CACERT.")
    String vaultTransitKey;

    @Option(names = {"--vault_transit_mount", "--vault-transit-mount"}, paramLabel = "MOUNT",
            description = "Mount of the Vault Transit engine (vault-transit mode; default: transit).")
    String vaultTransitMount;


    /**
     * What a mode's factory may use besides the flags: the AWS region, and the command's store flags
     * when it has them (null otherwise), read only by the mode that needs them: Vault Transit reaches
     * Vault with the vault store's {@code --vault_addr}, {@code --vault_namespace} and deadline.
     */
    record Context(InputStream stdin, PrintWriter err, String region, StoreOptions store) {
        Context(InputStream stdin, PrintWriter err, String region) {
            this(stdin, err, region, null);
        }
    }

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
        mode(new Mode("vault-transit", (f, c) -> f.vaultTransit(c, true), (f, c) -> f.vaultTransit(c, false)));
    }

    private static void mode(Mode m) {
        MODES.put(m.name(), m);
    }

    /** The provider generation seals with, or null for {@code --seal_mode none}; validates the combination. */
    KekProvider forSealing(InputStream stdin, PrintWriter err, String region) throws IOException {
        return forSealing(new Context(stdin, err, region));
    }

    /** {@link #forSealing(InputStream, PrintWriter, String)} with the store's region and Vault flags. */
    KekProvider forSealing(InputStream stdin, PrintWriter err, StoreOptions store) throws IOException {
        return forSealing(context(stdin, err, store));
    }

    private KekProvider forSealing(Context c) throws IOException {
        return mode(sealMode == null ? "none" : normalizeMode(sealMode)).sealing().make(this, c);
    }

    private static Context context(InputStream stdin, PrintWriter err, StoreOptions store) {
        return new Context(stdin, err, store.region(), store);
    }

    /**
     * The provider that opens a sealed set, or null when no KEK option was given. Without
     * {@code --seal_mode}, the options imply it: {@code --kms_key_id} aws-kms, a KEK file or stdin aes.
     */
    KekProvider forOpening(InputStream stdin, PrintWriter err, String region) throws IOException {
        return forOpening(new Context(stdin, err, region));
    }

    /** {@link #forOpening(InputStream, PrintWriter, String)} with the store's region and Vault flags. */
    KekProvider forOpening(InputStream stdin, PrintWriter err, StoreOptions store) throws IOException {
        return forOpening(context(stdin, err, store));
    }

    private KekProvider forOpening(Context c) throws IOException {
        String mode = sealMode != null ? normalizeMode(sealMode)
                : kmsKeyId != null ? "aws-kms" : vaultTransitKey != null ? "vault-transit" : kekSource() ? "aes" : "none";
        return mode(mode).opening().make(this, c);
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
        refuseTransitFlags("none");
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
        refuseTransitFlags("aws-kms");
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
        refuseTransitFlags("aes");
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

    /** The Vault Transit flags belong to vault-transit only. */
    private void refuseTransitFlags(String mode) {
        if (vaultTransitKey != null || vaultTransitMount != null) {
            throw KeygenException.usage("--vault_transit_key and --vault_transit_mount need --seal_mode vault-transit, not "
                    + mode);
        }
    }

    /**
     * vault-transit: the Transit key ({@code --vault_transit_key}, required to seal), its mount, and
     * Vault as the vault store reaches it; a plaintext address on another machine is warned about.
     */
    private KekProvider vaultTransit(Context c, boolean sealing) {
        if (kekSource() || kmsKeyId != null) {
            throw KeygenException.usage("--seal_mode vault-transit takes no --seal_key_path, --seal_key_stdin or"
                    + " --kms_key_id");
        }
        if (sealing && (vaultTransitKey == null || vaultTransitKey.isBlank())) {
            throw KeygenException.usage("--seal_mode vault-transit needs --vault_transit_key");
        }
        StoreOptions s = c.store();
        VaultTransitKekProvider p = new VaultTransitKekProvider(VaultTransitConfig.fromEnvironment(
                s == null ? null : s.vaultAddr, s == null ? null : s.vaultNamespace, vaultTransitMount, vaultTransitKey,
                s == null ? null : s.access()));
        p.plaintextWarnings().forEach(w -> warn(c.err(), w + " (" + PlaintextRemoteOption.NAME + ")"));
        return p;
    }

    static void warn(PrintWriter err, String message) {
        err.println(ErrorReporter.PREFIX + "warning: " + message);
        err.flush();
    }

}
