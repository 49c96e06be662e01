package io.evkeygen.cli;

import io.evkeygen.error.KeygenException;
import io.evkeygen.error.Printable;
import io.evkeygen.kms.KmsClient;
import io.evkeygen.kms.KmsClient.KeyFile;
import io.evkeygen.kms.KmsClient.KeySpec;
import io.evkeygen.kms.KmsClient.KeyVersion;
import io.evkeygen.kms.KmsClient.State;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kms generate|status|details|download|rotate|suspend|resume|destroy|delete|encrypt-metadata|decrypt-metadata}:
 * calls to an enVector KMS ({@link KmsClient}). A KMS error exits 7 with one line naming the RPC and
 * the return code; text from the KMS is escaped before it is printed.
 */
final class KmsClientCommands {
    private KmsClientCommands() {}

    /** The flags every KMS client subcommand shares. */
    static final class Connection {
        @Option(names = {"--kms_address", "--kms-address"}, required = true, paramLabel = "HOST:PORT",
                description = "The KMS (both kms.v2 services on one address).")
        String address;

        /** TLS, token and deadline flags, shared with the server commands. */
        @Mixin
        GrpcClientOptions grpc;

        @Option(names = {"--download_timeout", "--download-timeout"}, defaultValue = "3600", paramLabel = "SECONDS",
                description = "Deadline of a whole DownloadKey (default: ${DEFAULT-VALUE}).")
        double downloadTimeoutSeconds;

        KmsClient open(PrintWriter err) throws IOException {
            KmsClient.Builder b = KmsClient.builder(address).callTimeout(grpc.callTimeout(KmsClient.MAX_CALL_TIMEOUT))
                    .downloadTimeout(Seconds.deadline(downloadTimeoutSeconds, "--download_timeout",
                            KmsClient.MAX_DOWNLOAD_TIMEOUT));
            return grpc.configure(b, err).build();
        }
    }

    /** A subcommand on one key id. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Option(names = {"--key_id", "--key-id"}, required = true, paramLabel = "ID", description = "Key id.")
        String keyId;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public final Integer call() throws Exception {
            try (KmsClient c = connection.open(spec.commandLine().getErr())) {
                run(c);
            }
            return 0;
        }

        abstract void run(KmsClient c) throws Exception;
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "GenerateKey: the KMS makes a key set and keeps its secret key (PENDING, or READY when the"
                    + " id exists). Only the flags given are sent.")
    static final class Generate extends Base {
        @Option(names = "--preset", paramLabel = "NAME", description = "Preset (the KMS's default when absent).")
        String preset;

        @Option(names = {"--eval_mode", "--eval-mode"}, paramLabel = "MODE", description = "Eval mode (RMP, MM, FLAT).")
        String evalMode;

        @Option(names = {"--metadata_encryption", "--metadata-encryption"}, arity = "1", paramLabel = "true|false",
                description = "Whether the set gets a MetadataKey.")
        Boolean metadataEncryption;

        @Option(names = {"--seed_file", "--seed-file"}, paramLabel = "FILE", description = "A 64-byte seed, raw.")
        Path seedFile;

        @Option(names = "--wait", description = "Poll GetKeyStatus every second until READY (FAILED exits 7).")
        boolean await;

        @Option(names = {"--wait_timeout", "--wait-timeout"}, defaultValue = "120", paramLabel = "SECONDS",
                description = "How long --wait polls (default: ${DEFAULT-VALUE}).")
        double waitSeconds;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        void run(KmsClient c) throws Exception {
            Duration wait = await ? Seconds.deadline(waitSeconds, "--wait_timeout", KmsClient.MAX_CALL_TIMEOUT) : null;
            byte[] seed = null;
            if (seedFile != null) {
                try {
                    seed = Files.readAllBytes(seedFile);
                } catch (NoSuchFileException e) {
                    throw KeygenException.usage("--seed_file " + seedFile + " does not exist");
                }
            }
            KmsClient.Generation g = c.generateKey(keyId, new KeySpec(preset, evalMode, metadataEncryption, seed));
            KmsClient.Status status = g.status();
            if (wait != null && status != KmsClient.Status.READY) {
                c.waitForKey(keyId, wait);
                status = KmsClient.Status.READY;
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key_id", g.keyId());
                m.put("version", g.version());
                m.put("status", status.name());
                Json.print(out(), m);
            } else {
                out().println(Printable.escape(keyId) + ": " + status);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "GetKeyStatus: PENDING, READY or FAILED.")
    static final class StatusCmd extends Base {
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        void run(KmsClient c) throws Exception {
            KmsClient.Status s = c.keyStatus(keyId);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key_id", keyId);
                m.put("status", s.name());
                Json.print(out(), m);
            } else {
                out().println(Printable.escape(keyId) + ": " + s);
            }
        }
    }

    @Command(name = "details", mixinStandardHelpOptions = true,
            description = "GetKeyDetails: one version record per key file (state, times, actor).")
    static final class Details extends Base {
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        void run(KmsClient c) throws Exception {
            List<KeyVersion> versions = c.keyDetails(keyId);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key_id", keyId);
                m.put("versions", versions.stream().map(v -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("version", v.version());
                    r.put("state", v.state());
                    r.put("key_type", v.keyType());
                    r.put("created_at", v.createdAt());
                    r.put("updated_at", v.updatedAt());
                    r.put("actor", v.actor());
                    return r;
                }).toList());
                Json.print(out(), m);
            } else {
                for (KeyVersion v : versions) {
                    out().println(String.join("  ", v.keyType(), "v" + v.version(), v.state(),
                            Printable.escape(v.createdAt()), Printable.escape(v.updatedAt()), Printable.escape(v.actor())));
                }
            }
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = "DownloadKey: EncKey.json or EvalKey.json as the KMS stores it, streamed to --out (written"
                    + " whole or not at all; an existing file is refused) or stdout.")
    static final class Download extends Base {
        @Option(names = "--file", required = true, paramLabel = "enc|eval", description = "Which key file.")
        String file;

        @Option(names = "--out", paramLabel = "FILE", description = "Where to write it (default: stdout).")
        Path outFile;

        @Override
        void run(KmsClient c) throws Exception {
            KeyFile kind = switch (file.toLowerCase(Locale.ROOT)) {
                case "enc" -> KeyFile.ENC_KEY;
                case "eval" -> KeyFile.EVAL_KEY;
                default -> throw KeygenException.usage("--file must be enc or eval, not '" + Printable.escape(file) + "'");
            };
            if (outFile == null) {
                toStdout(c, kind);
                return;
            }
            if (Files.exists(outFile, LinkOption.NOFOLLOW_LINKS)) {
                throw exists();
            }
            Path dir = outFile.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, "." + outFile.getFileName(), ".part");
            try {
                long n;
                try (OutputStream o = Files.newOutputStream(tmp)) {
                    n = c.download(keyId, kind, o);
                }
                publish(tmp);
                out().println("Downloaded " + kind.fileName() + " of " + Printable.escape(keyId) + " (" + n
                        + " bytes) to " + outFile);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        /**
         * The complete file appears under its name at once and never replaces one made meanwhile: a
         * hard link is both; where links are unsupported, a move that refuses an existing target.
         */
        private void publish(Path tmp) throws IOException {
            try {
                Files.createLink(outFile, tmp);
            } catch (FileAlreadyExistsException e) {
                throw exists();
            } catch (UnsupportedOperationException | IOException e) {
                try {
                    Files.move(tmp, outFile);
                } catch (FileAlreadyExistsException again) {
                    throw exists();
                }
            }
        }

        private KeygenException exists() {
            return new KeygenException(KeygenException.Kind.TARGET_EXISTS, outFile + " exists: remove it or choose"
                    + " another --out");
        }

        /**
         * A key file is JSON, UTF-8 text (RFC 8259): decoded strictly and written through the
         * command's UTF-8 output, its bytes arrive unchanged; anything else is refused.
         */
        private void toStdout(KmsClient c, KeyFile kind) throws IOException {
            try (InputStream in = c.openDownload(keyId, kind);
                 Reader r = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                         .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
                r.transferTo(out());
            } catch (MalformedInputException e) {
                throw KeygenException.invalidKey("the KMS's " + kind.fileName() + " of " + Printable.escape(keyId)
                        + " is not UTF-8 JSON: download it with --out");
            }
            out().flush();
        }
    }

    /** TransitionState to one state, with a reason. */
    abstract static class Transition extends Base {
        @Option(names = "--reason", defaultValue = "", paramLabel = "TEXT", description = "Why (kept by the KMS).")
        String reason;

        private final State target;
        private final String done;

        Transition(State target, String done) {
            this.target = target;
            this.done = done;
        }

        @Override
        void run(KmsClient c) {
            c.transition(keyId, target, reason);
            out().println("Key " + Printable.escape(keyId) + ": " + done);
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "TransitionState ROTATING: the KMS rewraps the sealed secret and metadata keys (key material"
                    + " unchanged), then returns to ACTIVE.")
    static final class Rotate extends Transition {
        Rotate() {
            super(State.ROTATING, "rotated");
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true,
            description = "TransitionState SUSPENDED: downloads, metadata calls and TopK are refused until resume.")
    static final class Suspend extends Transition {
        Suspend() {
            super(State.SUSPENDED, "suspended");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "TransitionState ACTIVE: undoes suspend.")
    static final class Resume extends Transition {
        Resume() {
            super(State.ACTIVE, "active");
        }
    }

    @Command(name = "destroy", mixinStandardHelpOptions = true,
            description = "TransitionState DESTROYED: the KMS deletes the secret and metadata keys irreversibly.")
    static final class Destroy extends Transition {
        Destroy() {
            super(State.DESTROYED, "destroyed");
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete: every file and record of the key id.")
    static final class Delete extends Base {
        @Option(names = "--reason", defaultValue = "", paramLabel = "TEXT", description = "Why (kept by the KMS).")
        String reason;

        @Override
        void run(KmsClient c) {
            c.delete(keyId, reason);
            out().println("Deleted " + Printable.escape(keyId) + " from the KMS");
        }
    }

    @Command(name = "encrypt-metadata", mixinStandardHelpOptions = true,
            description = "EncryptMetadata: the KMS encrypts each value with the set's MetadataKey; prints each"
                    + " ciphertext (iv || tag || ciphertext) base64-encoded, one a line.")
    static final class EncryptMetadata extends Base {
        @Parameters(arity = "1..*", paramLabel = "VALUE", description = "The values, as text.")
        List<String> values;

        @Option(names = "--json", description = "Print a JSON array of base64 strings.")
        boolean json;

        @Override
        void run(KmsClient c) throws Exception {
            List<String> sealed = c.encryptMetadata(keyId, values).stream()
                    .map(b -> Base64.getEncoder().encodeToString(b)).toList();
            if (json) {
                Json.print(out(), sealed);
            } else {
                sealed.forEach(out()::println);
            }
        }
    }

    @Command(name = "decrypt-metadata", mixinStandardHelpOptions = true,
            description = "DecryptMetadata: the KMS decrypts each base64 ciphertext; prints each value, one a line"
                    + " (control characters escaped).")
    static final class DecryptMetadata extends Base {
        @Parameters(arity = "1..*", paramLabel = "BASE64", description = "The ciphertexts, base64-encoded.")
        List<String> values;

        @Option(names = "--json", description = "Print a JSON array of the values.")
        boolean json;

        @Override
        void run(KmsClient c) throws Exception {
            List<byte[]> sealed = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                try {
                    sealed.add(Base64.getDecoder().decode(values.get(i).strip()));
                } catch (IllegalArgumentException e) {
                    throw KeygenException.usage("ciphertext " + (i + 1) + " is not base64");
                }
            }
            List<String> plain = c.decryptMetadata(keyId, sealed);
            if (json) {
                Json.print(out(), plain);
            } else {
                plain.forEach(v -> out().println(Printable.escape(v)));
            }
        }
    }
}
