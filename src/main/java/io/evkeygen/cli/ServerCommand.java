package io.evkeygen.cli;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.error.KeygenException;
import io.evkeygen.error.Printable;
import io.evkeygen.server.ActivationReport;
import io.evkeygen.server.EnvectorClient;
import io.evkeygen.server.EnvectorKeys;
import io.evkeygen.server.EvalKeyPayload;
import io.evkeygen.server.KeyListing;
import io.evkeygen.server.ServerApi;
import io.evkeygen.server.ServerKeyInfo;
import io.evkeygen.server.UploadProgress;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code server list|info|register|load|unload|delete|activate}: EvalKeys on an enVector server
 * (io.evkeygen.server). Tokens come from a file or the environment, never from the command line.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Register, load and activate EvalKeys on an enVector server (gRPC, API v2 or ES2E).",
        subcommands = {ServerCommand.ListCmd.class, ServerCommand.Info.class, ServerCommand.Register.class,
                ServerCommand.Load.class, ServerCommand.Unload.class, ServerCommand.Delete.class,
                ServerCommand.Activate.class},
        footer = {"", "Exit codes: 0 ok, 2 usage, 4 invalid key, 5 i/o, 7 server (non-Success return code,"
                + " connection refused, TLS failure, deadline exceeded, no enVector API)."})
final class ServerCommand implements Callable<Integer> {
    private final boolean terminal;
    private final InputStream stdin;

    ServerCommand(boolean terminal, InputStream stdin) {
        this.terminal = terminal;
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        throw KeygenException.usage("server needs a subcommand: list, info, register, load, unload, delete or activate");
    }

    /** Connection flags every server subcommand shares. */
    static final class Connection {
        @Option(names = "--address", required = true, paramLabel = "HOST:PORT", description = "The enVector server.")
        String address;

        /** TLS, token and deadline flags, shared with the kms client commands. */
        @Mixin
        GrpcClientOptions grpc;

        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(names = {"--server_api", "--server-api"}, defaultValue = "auto", paramLabel = "auto|v2|es2e",
                description = "API generation: auto tries v2, then ES2E (default: ${DEFAULT-VALUE}).")
        String serverApi;

        @Option(names = {"--register_timeout", "--register-timeout"}, defaultValue = "3600", paramLabel = "SECONDS",
                description = "Deadline of a whole register_key upload (default: ${DEFAULT-VALUE}).")
        double registerTimeoutSeconds;

        EnvectorClient open() throws IOException {
            Duration callTimeout = grpc.callTimeout(EnvectorClient.MAX_CALL_TIMEOUT);
            Duration registerTimeout = Seconds.deadline(registerTimeoutSeconds, "--register_timeout",
                    EnvectorClient.MAX_REGISTER_TIMEOUT);
            EnvectorClient.Builder b = EnvectorClient.builder(address).api(ServerApi.parse(serverApi))
                    .callTimeout(callTimeout).registerTimeout(registerTimeout);
            return grpc.configure(b, mixee.commandLine().getErr()).build();
        }
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        ServerCommand parent() {
            return (ServerCommand) spec.parent().userObject();
        }

        /** A progress line on a terminal for payloads of 16 MiB and more. */
        UploadProgress progress() {
            if (!parent().terminal) {
                return UploadProgress.NONE;
            }
            PrintWriter err = spec.commandLine().getErr();
            return new UploadProgress() {
                int shown = -1;

                @Override
                public void sent(long sent, long total) {
                    if (total < (16L << 20)) {
                        return;
                    }
                    int pct = (int) (100 * sent / total);
                    if (pct != shown) {
                        shown = pct;
                        err.print("\r" + ErrorReporter.PREFIX + "registering EvalKey " + pct + "% of "
                                + (total >> 20) + " MiB");
                        if (sent >= total) {
                            err.println();
                        }
                        err.flush();
                    }
                }
            };
        }
    }

    /** {@code ", server <version>"} with the server's words escaped, or nothing. */
    static String serverVersion(Optional<String> version) {
        return version.map(v -> ", server " + Printable.escape(v)).orElse("");
    }

    abstract static class WithKeyId extends Base {
        @Option(names = {"--key_id", "--key-id"}, required = true, paramLabel = "ID", description = "Key id.")
        String keyId;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the key ids registered on the server.")
    static final class ListCmd extends Base {
        @Option(names = "--json", description = "Print one JSON object (key ids, API, server version).")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (EnvectorClient c = connection.open()) {
                KeyListing l = c.listKeys();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("address", c.address());
                    m.put("api", l.api().label());
                    m.put("server_version", l.serverVersion().orElse(null));
                    m.put("key_ids", l.keyIds());
                    Json.print(out(), m);
                } else {
                    l.keyIds().forEach(id -> out().println(Printable.escape(id)));
                }
            }
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a registered key (get_key_info, v2).")
    static final class Info extends WithKeyId {
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (EnvectorClient c = connection.open()) {
                ServerKeyInfo k = c.keyInfo(keyId);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key_id", k.keyId());
                m.put("type", k.type());
                m.put("preset", k.preset());
                m.put("eval_mode", k.evalMode());
                m.put("sha256sum", k.sha256sum());
                m.put("is_loaded", k.loaded());
                if (json) {
                    Json.print(out(), m);
                } else {
                    m.forEach((name, v) -> out().println(name + ": " + Printable.escape(String.valueOf(v))));
                }
            }
            return 0;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true, description = "Make a registered key the loaded key (load_key).")
    static final class Load extends WithKeyId {
        @Override
        public Integer call() throws Exception {
            try (EnvectorClient c = connection.open()) {
                c.load(keyId);
                out().println("Loaded " + keyId);
            }
            return 0;
        }
    }

    @Command(name = "unload", mixinStandardHelpOptions = true, description = "Unload a key (unload_key).")
    static final class Unload extends WithKeyId {
        @Override
        public Integer call() throws Exception {
            try (EnvectorClient c = connection.open()) {
                c.unload(keyId);
                out().println("Unloaded " + keyId);
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a registered key from the server (delete_key).")
    static final class Delete extends WithKeyId {
        @Override
        public Integer call() throws Exception {
            try (EnvectorClient c = connection.open()) {
                c.delete(keyId);
                out().println("Deleted " + keyId + " from the server");
            }
            return 0;
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Upload a key set's EvalKey (register_key), streamed from <key_path>/<key_id>/EvalKey.json or"
                    + " a remote key store (--key_store aws|gcp|vault). A local set is verified whole first (its secrets"
                    + " too with a KEK option).")
    static final class Register extends Base {
        @Option(names = {"--key_path", "--key-path"}, paramLabel = "DIR", defaultValue = "./keys",
                description = "Parent directory of key sets (default: ${DEFAULT-VALUE}).")
        Path keyPath;

        @Option(names = {"--key_id", "--key-id"}, required = true, paramLabel = "ID", description = "Key id.")
        String keyId;

        @Mixin
        StoreOptions store;

        @Mixin
        KekOptions seal;

        @Override
        public Integer call() throws Exception {
            KeySet.EvalKeyDigest d;
            try (EnvectorClient c = connection.open()) {
                if (store.remote()) {
                    store.require(keyId, keyPath);
                    if (seal.sealMode != null || seal.sealKeyPath != null || seal.sealKeyStdin || seal.kmsKeyId != null) {
                        throw KeygenException.usage("KEK options verify a local key set before registering; with"
                                + " --key_store " + store.name() + " the EvalKey is checked against its envelope only");
                    }
                    try (KeyStore s = store.open(keyPath)) {
                        d = c.register(EvalKeyPayload.fromStore(s, keyId), progress());
                    }
                } else {
                    Path dir = keyPath.resolve(keyId);
                    try (KekProvider kek = seal.forOpening(parent().stdin, spec.commandLine().getErr(), store)) {
                        KeySet.verify(dir, kek); // as upload does: an incomplete or damaged set never reaches the server
                    }
                    d = c.register(EvalKeyPayload.fromDirectory(dir), progress());
                }
                out().println("Registered " + d.keyId() + " (" + d.preset() + ", " + d.evalMode() + ", "
                        + d.length() + " bytes, sha256 " + d.sha256Hex() + ") with " + c.address() + " (API "
                        + c.api().label() + serverVersion(c.serverVersion()) + ")");
            }
            return 0;
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true,
            description = "What ev.init does for keys: make sure the key set exists (generating it with the generation"
                    + " flags when absent, once the server answers; an existing set is compared only with the flags"
                    + " given), register its EvalKey unless listed (a listed id must hold it: v2 compares sha256),"
                    + " unload every other key, load it.")
    static final class Activate extends Base {
        @Mixin
        GenerateOptions options;

        @Mixin
        StoreOptions store;

        @Mixin
        KekOptions seal;

        @Option(names = {"--auto_key_setup", "--auto-key-setup"}, arity = "1", defaultValue = "true",
                paramLabel = "true|false", description = "Generate an absent key set (default: ${DEFAULT-VALUE});"
                + " false makes an absent set an error.")
        boolean autoKeySetup;

        @Option(names = "--json", description = "Print one JSON object describing what was done.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (options.keyId == null || options.keyId.isBlank()) {
                throw KeygenException.usage("activate needs --key_id");
            }
            boolean remote = store.remote();
            if (remote) {
                store.require(options.keyId, options.keyPath);
                store.refuseLocalSealing(seal.sealMode, seal.sealKeyPath, seal.sealKeyStdin);
            }
            ParseResult parsed = spec.commandLine().getParseResult();
            KeyGenerator.Builder b = options.builder(name -> parsed.hasMatchedOption(spec.findOption(name)));
            ActivationReport r;
            try (KekProvider sealer = seal.forSealing(parent().stdin, spec.commandLine().getErr(), store);
                 EnvectorClient c = connection.open();
                 KeyGenerator generator = b.seal(sealer).build()) {
                if (remote) {
                    try (KeyStore s = store.open(options.keyPath)) {
                        r = EnvectorKeys.init(c, generator, s, autoKeySetup, progress());
                    }
                } else {
                    r = EnvectorKeys.init(c, generator, autoKeySetup, progress());
                }
            }
            if (!r.evalKeyChecked()) {
                spec.commandLine().getErr().println(ErrorReporter.PREFIX + "warning: the server (API " + r.api().label()
                        + ") already listed key " + r.keyId() + " and cannot say which EvalKey it holds (no get_key_info):"
                        + " loaded without comparing it with this key set's");
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key_id", r.keyId());
                m.put("generated", r.generated());
                m.put("registered", r.registered());
                m.put("evalkey_checked", r.evalKeyChecked());
                m.put("unloaded", r.unloaded());
                m.put("loaded", r.loaded());
                m.put("api", r.api().label());
                m.put("server_version", r.serverVersion().orElse(null));
                Json.print(out(), m);
            } else {
                out().println("Key set " + r.keyId() + ": " + (r.generated() ? "generated" : "existing") + "; "
                        + (r.registered() ? "registered" : "already registered") + "; "
                        + (r.unloaded().isEmpty() ? "no other key unloaded"
                                : "unloaded " + Printable.escape(String.join(", ", r.unloaded())))
                        + "; " + (r.loaded() ? "loaded" : "already loaded") + " (API " + r.api().label()
                        + serverVersion(r.serverVersion()) + ")");
            }
            return 0;
        }
    }
}
