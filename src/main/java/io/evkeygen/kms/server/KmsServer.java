package io.evkeygen.kms.server;

import io.evkeygen.MetadataCipher;
import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.OptionalLibraries;
import io.evkeygen.spi.remote.Loopback;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The enVector KMS (../shared/spec/KMS.md): {@code kms.v2.KeyManagerService} and {@code kms.v2.TopKService}
 * on one address, over a {@link KeyStore} whose records hold every key's state, so a restarted server
 * or a replica sharing the store carries on where another stopped. Secrets are sealed at rest with
 * the master {@link KekProvider}; callers present bearer tokens from a tokens file.
 *
 * <pre>{@code
 * KmsServer kms = KmsServer.builder().listen("127.0.0.1", 0).plaintext()
 *         .store(KeyStores.local(keys), keys).master(KekProvider.aes(kek)).tokens(tokensFile).build();
 * kms.start();
 * }</pre>
 */
public final class KmsServer {
    /** The default dims: every RMP dim up to 2048, which share pad rank 32, so TopK can always decode. */
    public static final List<Integer> DEFAULT_DIMS = List.of(32, 64, 128, 256, 512, 1024, 2048);
    public static final int DEFAULT_MAX_K = 1024;
    /** 64 level-0 score ciphertexts are 4.2 MB, over gRPC's 4 MiB default. */
    public static final int MAX_REQUEST_BYTES = 64 << 20;
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /**
     * How long GetKeyStatus may hold a PENDING answer for a key this server is generating: the answer
     * comes when the generation settles, so a poller sees READY at once and polls less.
     */
    public static final Duration DEFAULT_STATUS_WAIT = Duration.ofMillis(250);

    private final Builder config;
    private final Generations generations;
    private final OpenKeys<Ranker> rankers;
    private final OpenKeys<MetadataCipher> ciphers;
    private final Server server;
    private volatile int port = -1;

    private KmsServer(Builder b) throws IOException {
        this.config = b;
        KmsRecords records = new KmsRecords(b.store.records("kms"));
        rankers = new OpenKeys<>(16, Duration.ofSeconds(60), b.clock, b.rankers::open);
        SecretCustody custody = SecretCustody.of(b.store, b.localRoot, b.master);
        ciphers = new OpenKeys<>(16, Duration.ofSeconds(60), b.clock, custody::metadataCipher);
        generations = new Generations(b.store, records, b.master, b.dims, b.clock, b.lease,
                UUID.randomUUID().toString(), b.generationThreads, b.steps, () -> {
                    rankers.sweep();
                    ciphers.sweep();
                });
        KeyLifecycle keys = new KeyLifecycle(b.store, records, custody, generations, b.clock, b.lease, b.dims, b.steps,
                id -> {
                    rankers.invalidate(id);
                    ciphers.invalidate(id);
                });
        AuditLog audit = new AuditLog(b.audit, b.clock);
        Replies replies = new Replies(b.clock, audit);
        KmsAuth auth = new KmsAuth(KmsTokens.load(b.tokens), audit);
        server = NettyServerBuilder.forAddress(new InetSocketAddress(b.host, b.port), b.credentials)
                .maxInboundMessageSize(MAX_REQUEST_BYTES)
                .addService(ServerInterceptors.intercept(new KeyManagerService(keys, replies, b.statusWait).definition(), auth))
                .addService(ServerInterceptors.intercept(new TopKService(keys, replies, rankers, ciphers, b.maxK)
                        .definition(), auth))
                .build();
    }

    /**
     * The tokens-file line ({@code <principal> <key-id-prefix> <sha256-hex>}, no newline) that lets
     * {@code token} call as {@code principal} on key ids starting with {@code prefix}: the token itself
     * is not in it. One word each; {@code kms add-token} writes it.
     */
    public static String tokenLine(String principal, String prefix, String token) {
        return KmsTokens.line(principal, prefix, token);
    }

    /** @throws KeygenException USAGE naming the gRPC and protobuf jars to add when they are not on the class path */
    public static Builder builder() {
        OptionalLibraries.GRPC.require("KmsServer");
        return new Builder();
    }

    /** Binds and starts serving; calls are accepted when this returns. */
    public KmsServer start() throws IOException {
        server.start();
        port = server.getPort();
        return this;
    }

    /** The bound port (the one picked when the builder asked for 0). */
    public int port() {
        return port;
    }

    /** The host given to {@link Builder#listen}. */
    public String host() {
        return config.host;
    }

    /**
     * Refuses new calls, lets in-flight ones finish for up to {@code drain}, then cancels the rest.
     * Background generations stop; their records' leases expire, so another server may take them up.
     */
    public void shutdown(Duration drain) throws InterruptedException {
        server.shutdown();
        try {
            if (!server.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            generations.close();
            rankers.clear();
            ciphers.clear();
        }
    }

    /** Blocks until the server has terminated. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** How a server is set up: address and transport, store and master key, tokens and limits. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private ServerCredentials credentials;
        private KeyStore store;
        private Path localRoot;
        private KekProvider master;
        private List<Integer> dims = DEFAULT_DIMS;
        private Path tokens;
        private int maxK = DEFAULT_MAX_K;
        private Clock clock = Clock.systemUTC();
        private Duration lease = DEFAULT_LEASE;
        private int generationThreads = 2 * Runtime.getRuntime().availableProcessors();
        private Duration statusWait = DEFAULT_STATUS_WAIT;
        private Consumer<String> audit = System.out::println;
        private KmsSteps steps = KmsSteps.NONE;
        private Ranker.Source rankers;

        private Builder() {}

        /** Address to bind; port 0 picks a free one ({@link KmsServer#port()}). */
        public Builder listen(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw KeygenException.usage("port must be 0 to 65535, not " + port);
            }
            this.port = port;
            return this;
        }

        /** TLS with a PEM certificate chain and its PEM (PKCS#8) private key. */
        public Builder tls(Path certChain, Path privateKey) throws IOException {
            this.credentials = TlsServerCredentials.create(certChain.toFile(), privateKey.toFile());
            return this;
        }

        /** No TLS: only on a loopback address (checked when built). */
        public Builder plaintext() {
            this.credentials = InsecureServerCredentials.create();
            return this;
        }

        /**
         * Where key sets and the KMS's records live. {@code localKeyPath} is the store's directory when
         * it is the local store ({@code KeyStores.local(localKeyPath)}), else null: rotation and
         * destruction then reseal or delete one secret at a time through the store
         * ({@link KeyStore#replaceSecret}, {@link KeyStore#destroySecret}).
         */
        public Builder store(KeyStore store, Path localKeyPath) {
            this.store = Objects.requireNonNull(store, "store");
            this.localRoot = localKeyPath == null ? null : localKeyPath.toAbsolutePath().normalize();
            return this;
        }

        /** Seals every SecKey and MetadataKey at rest; the server does not close it. */
        public Builder master(KekProvider master) {
            this.master = Objects.requireNonNull(master, "master");
            return this;
        }

        /** The dims of every set it generates (default {@link KmsServer#DEFAULT_DIMS}). */
        public Builder dims(List<Integer> dims) {
            if (dims.isEmpty()) {
                throw KeygenException.usage("at least one dim is needed");
            }
            this.dims = List.copyOf(dims);
            return this;
        }

        /** The tokens file: lines {@code <principal> <key-id-prefix> <sha256-hex>}. */
        public Builder tokens(Path tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        /** The most results one TopK returns (default 1024); a larger k is clamped. */
        public Builder maxK(int maxK) {
            if (maxK < 1) {
                throw KeygenException.usage("max_k must be at least 1, not " + maxK);
            }
            this.maxK = maxK;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a generation or rotation whose server stopped heartbeating stays PENDING (default 30 s). */
        public Builder lease(Duration lease) {
            if (lease.isNegative() || lease.isZero()) {
                throw KeygenException.usage("the lease must be positive");
            }
            this.lease = lease;
            return this;
        }

        /**
         * Generations that run at once (default twice the processors: a set waits for its fsyncs or
         * uploads part of the time, so fewer leave cores idle while clients wait; docs/BENCHMARKS.md,
         * "Issue 23: the KMS").
         */
        public Builder generationThreads(int threads) {
            if (threads < 1) {
                throw KeygenException.usage("generation threads must be at least 1");
            }
            this.generationThreads = threads;
            return this;
        }

        /**
         * How long GetKeyStatus may hold a PENDING answer while this server generates the key (default
         * 250 ms, never past the caller's deadline less 50 ms; zero answers at once, as a plain poll).
         */
        public Builder statusWait(Duration wait) {
            if (wait.isNegative() || wait.compareTo(Duration.ofSeconds(60)) > 0) {
                throw KeygenException.usage("the status wait must be 0 to 60 seconds");
            }
            this.statusWait = wait;
            return this;
        }

        /** Where the audit lines go, one call at a time (default stdout). */
        public Builder audit(Consumer<String> audit) {
            this.audit = Objects.requireNonNull(audit, "audit");
            return this;
        }

        Builder steps(KmsSteps steps) {
            this.steps = steps;
            return this;
        }

        Builder rankers(Ranker.Source rankers) {
            this.rankers = rankers;
            return this;
        }

        public KmsServer build() throws IOException {
            if (store == null || master == null || tokens == null) {
                throw KeygenException.usage("a KMS server needs a key store, a master key and a tokens file");
            }
            if (credentials == null) {
                throw KeygenException.usage("a KMS server needs TLS (certificate and key) or plaintext on loopback");
            }
            if (credentials instanceof InsecureServerCredentials && !Loopback.isLoopback(host)) {
                throw KeygenException.usage("plaintext is allowed only on a loopback address, not " + host
                        + ": use TLS");
            }
            if (rankers == null) {
                rankers = Ranker.decryptors(store, master);
            }
            return new KmsServer(this);
        }
    }
}
