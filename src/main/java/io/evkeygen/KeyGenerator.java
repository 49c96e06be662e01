package io.evkeygen;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.engine.EngineSelector;
import io.evkeygen.internal.keydir.LocalKeyStore;
import io.evkeygen.internal.ops.KeySetGenerator;
import io.evkeygen.internal.ops.KeySetRequest;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.ProgressListener;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Kek;
import io.evkeygen.secret.Seed;
import io.evkeygen.spi.AesKekProvider;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyFileSink;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Generates enVector key sets, like the Python SDK's {@code KeyGenerator}.
 *
 * <pre>{@code
 * Path dir = KeyGenerator.builder().keyPath(Path.of("keys")).keyId("demo").dims(1024).build().generateKeys();
 * }</pre>
 *
 * A generator may be used many times; each call produces a new key set (the same one again when a
 * seed is set). It holds the seed, if any, and a KEK given as bytes until {@link #close()} zeroes
 * them; a generator without either needs no closing.
 */
public final class KeyGenerator implements AutoCloseable {
    private final Path keyPath;
    private final String keyId;
    /** Validated once by the builder; each generation adds only its seed. */
    private final KeySetRequest request;
    private final Seed seed;
    /** A provider this generator made from KEK bytes (closed with it), else null. */
    private final KekProvider ownedSealer;
    private final boolean dimsGiven;
    private final boolean evalModeGiven;
    private final boolean metadataEncryptionGiven;
    private volatile boolean closed;

    private KeyGenerator(Builder b, KeySetRequest request, Seed seed, KekProvider ownedSealer) {
        this.keyPath = b.keyPath;
        this.keyId = b.keyId;
        this.request = request;
        this.seed = seed;
        this.ownedSealer = ownedSealer;
        this.dimsGiven = !b.dims.isEmpty();
        this.evalModeGiven = b.evalModeGiven;
        this.metadataEncryptionGiven = b.metadataEncryptionGiven;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes a new key set to {@code <keyPath>/<keyId>/} ({@code <keyPath>} without a key id),
     * atomically; refuses a non-empty target.
     *
     * @return the key directory
     * @throws KeygenException TARGET_EXISTS, USAGE, IO or FAILURE
     */
    public Path generateKeys() throws IOException {
        checkOpen();
        LocalKeyStore store = new LocalKeyStore(keyPath);
        store.save(keyId, this::generate);
        return store.directory(keyId);
    }

    /**
     * Generates a new key set into {@code store} under this generator's key id: all or nothing, and
     * refused (TARGET_EXISTS) before generation when the key id already holds any part. With an
     * {@code io.evkeygen.aws.AwsKeyStore} the set goes to S3 and Secrets Manager.
     *
     * @return the store's description of where the set went
     */
    public String generateKeys(KeyStore store) throws IOException {
        checkOpen();
        if (keyId == null && !(store instanceof LocalKeyStore)) {
            throw KeygenException.usage("a key id is required to store keys in " + store);
        }
        return store.save(keyId, this::generate);
    }

    /** Generates a key set in memory only: nothing touches the disk. Large FLAT sets need a large heap. */
    public KeySetBlobs generateKeysStream() throws IOException {
        checkOpen();
        MemorySink sink = new MemorySink();
        try {
            generate(sink);
            Map<KeyFileKind, byte[]> files = new EnumMap<>(KeyFileKind.class);
            sink.files.forEach((kind, out) -> files.put(kind, out.take()));
            return new KeySetBlobs(files);
        } finally {
            sink.files.values().forEach(KeyFileCapture::wipe); // secret parts written before a failure
        }
    }

    /** One generation: the request with a copy of the seed, which the generation zeroes. */
    private void generate(KeyFileSink sink) throws IOException {
        KeySetGenerator.generate(request, seed == null ? null : seed.copy(), sink);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this KeyGenerator is closed");
        }
    }

    /** Zeroes the seed and closes a sealer made from KEK bytes; a provider given to the builder stays open. */
    @Override
    public void close() {
        closed = true;
        if (seed != null) {
            seed.close();
        }
        if (ownedSealer != null) {
            ownedSealer.close();
        }
    }

    /** The seed this generator holds, or null: for tests that check it is zeroed. */
    Seed heldSeed() {
        return seed;
    }

    public Path keyPath() {
        return keyPath;
    }

    /** The key id, or null when keys go straight into {@link #keyPath()}. */
    public String keyId() {
        return keyId;
    }

    /** The requested dims, sorted and unique. */
    public List<Integer> dims() {
        return request.dims();
    }

    public EvalMode evalMode() {
        return request.evalMode();
    }

    public Parameters parameters() {
        return request.parameters();
    }

    public boolean metadataEncryption() {
        return request.metadataEncryption();
    }

    /**
     * Whether dims were set on the builder. What was left at its default is no request: an existing
     * set is accepted whatever it holds there ({@link KeyManager#ensureKeys(KeyGenerator)}).
     */
    boolean dimsGiven() {
        return dimsGiven;
    }

    /** Whether the eval mode was set on the builder (see {@link #dimsGiven()}). */
    boolean evalModeGiven() {
        return evalModeGiven;
    }

    /** Whether metadata encryption was set on the builder (see {@link #dimsGiven()}). */
    boolean metadataEncryptionGiven() {
        return metadataEncryptionGiven;
    }

    /** Whether SecKey and MetadataKey are sealed (spec sections 10 and 11). */
    public boolean sealed() {
        return request.sealer() != null;
    }

    /** The provider that seals (and so opens) this generator's sets, or null. */
    KekProvider sealer() {
        return request.sealer();
    }

    /** The engine's backend name, e.g. {@code java}. */
    public String backend() {
        return request.engine().name();
    }

    /** In-memory sink for {@link #generateKeysStream()}: no scratch directory, so EvalKey stays in memory. */
    private static final class MemorySink implements KeyFileSink {
        final Map<KeyFileKind, KeyFileCapture> files = new EnumMap<>(KeyFileKind.class);

        @Override
        public OutputStream open(KeyFileKind kind) {
            KeyFileCapture out = new KeyFileCapture(kind.secret());
            files.put(kind, out);
            return out;
        }

        @Override
        public Path scratchDirectory() {
            return null;
        }
    }

    /** Collects options; {@link #build()} validates them all at once (usage errors). */
    public static final class Builder {
        private Path keyPath = Path.of("keys");
        private String keyId;
        private List<Integer> dims = List.of();
        private String preset = "ip0";
        private Parameters parameters;
        private EvalMode evalMode = EvalMode.RMP;
        private boolean evalModeGiven;
        private boolean metadataEncryption = true;
        private boolean metadataEncryptionGiven;
        private Seed seed;
        /** The seed or the KEK went to a generator already built (see {@link #build()}). */
        private boolean seedMoved;
        private boolean sealerMoved;
        private int threads = Runtime.getRuntime().availableProcessors();
        private String backend = "auto";
        private Requester requester;
        private Clock clock = Clock.systemUTC();
        private ProgressListener progress = ProgressListener.NONE;
        private KekProvider sealer;
        /** Whether {@link #sealer} was made here from KEK bytes, so this builder (then its generator) closes it. */
        private boolean sealerOwned;

        private Builder() {}

        /**
         * Seals SecKey.json and MetadataKey.json with a 32-byte key-encryption key (copied; the
         * generator built holds the copy until it is closed). Null: unsealed (the default).
         */
        public Builder seal(byte[] kek) {
            return sealWith(kek == null ? null : KekProvider.aes(kek), true);
        }

        /** Seals with a copy of {@code kek} (held as {@link #seal(byte[])} holds it). */
        public Builder seal(Kek kek) {
            return sealWith(kek == null ? null : new AesKekProvider(kek.copy()), true);
        }

        /** Seals with KEKs from {@code provider} (e.g. {@code io.evkeygen.aws.AwsKmsKekProvider}); not closed. */
        public Builder seal(KekProvider provider) {
            return sealWith(provider, false);
        }

        private Builder sealWith(KekProvider provider, boolean owned) {
            if (sealerOwned) {
                sealer.close();
            }
            this.sealer = provider;
            this.sealerOwned = owned && provider != null;
            this.sealerMoved = false;
            return this;
        }

        /** Parent directory of key sets; default {@code ./keys}. */
        public Builder keyPath(Path keyPath) {
            this.keyPath = Objects.requireNonNull(keyPath, "keyPath");
            return this;
        }

        public Builder keyPath(String keyPath) {
            return keyPath(Path.of(keyPath));
        }

        /** A single safe path component; null writes straight into the key path. */
        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        /**
         * Powers of two from 32 to 4096; none means the default list 32..4096 (and, for
         * {@link KeyManager#ensureKeys(KeyGenerator)}, no request about dims).
         */
        public Builder dims(Collection<Integer> dims) {
            this.dims = dims == null ? List.of() : new ArrayList<>(dims);
            return this;
        }

        public Builder dims(int... dims) {
            List<Integer> list = new ArrayList<>();
            for (int d : dims) {
                list.add(d);
            }
            return dims(list);
        }

        /** A named parameter preset (io.evkeygen.params.Presets): {@code ip0} (default) or {@code ip1}. */
        public Builder preset(String preset) {
            this.preset = preset;
            this.parameters = null;
            return this;
        }

        /**
         * Explicit parameters, e.g. {@link Parameters#custom} for a team's own server (validated
         * when built); overrides {@link #preset}.
         */
        public Builder parameters(Parameters parameters) {
            this.parameters = Objects.requireNonNull(parameters, "parameters");
            return this;
        }

        /** Default RMP; once set, an existing set of another mode does not fit {@link KeyManager#ensureKeys(KeyGenerator)}. */
        public Builder evalMode(EvalMode evalMode) {
            this.evalMode = Objects.requireNonNull(evalMode, "evalMode");
            this.evalModeGiven = true;
            return this;
        }

        /** {@code rmp}, {@code flat} or {@code mm}. */
        public Builder evalMode(String evalMode) {
            return evalMode(EvalMode.parse(evalMode));
        }

        /** Whether to write MetadataKey.json (default true). */
        public Builder metadataEncryption(boolean enabled) {
            this.metadataEncryption = enabled;
            this.metadataEncryptionGiven = true;
            return this;
        }

        /**
         * Deterministic generation from at least 64 bytes (the first 64 are used); copied, and the
         * copy goes to the generator built (which zeroes it when closed).
         */
        public Builder seed(byte[] seed) {
            return holdSeed(seed == null ? null : Seed.of(seed));
        }

        /** Deterministic generation from a copy of {@code seed} (the caller still closes its own); null: a random seed. */
        public Builder seed(Seed seed) {
            return holdSeed(seed == null ? null : seed.copy());
        }

        private Builder holdSeed(Seed copy) {
            if (this.seed != null) {
                this.seed.close();
            }
            this.seed = copy;
            this.seedMoved = false;
            return this;
        }

        /** Worker threads (default: all cores); the output does not depend on it. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** {@code auto} (default: native when its library loads, else java), {@code native} or {@code java}. */
        public Builder backend(String backend) {
            this.backend = backend;
            return this;
        }

        /** Requester block of the envelopes; default from the EVI_REQUESTER_* environment. */
        public Builder requester(Requester requester) {
            this.requester = requester;
            return this;
        }

        /** Source of {@code created_at}; default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder progress(ProgressListener progress) {
            this.progress = progress == null ? ProgressListener.NONE : progress;
            return this;
        }

        /**
         * Validates every option at once (usage errors, before any backend loads) into the request
         * each generation of the generator reuses. The seed and a KEK given as bytes move to the
         * generator (on a usage error they are zeroed), so building again needs them set again.
         *
         * @throws IllegalStateException when the seed or KEK already went to a generator built before
         */
        public KeyGenerator build() {
            if (seedMoved || sealerMoved) {
                throw new IllegalStateException("this builder's seed or KEK went to the generator built before:"
                        + " set it again to build another");
            }
            Seed heldSeed = seed;
            KekProvider ownedSealer = sealerOwned ? sealer : null;
            seed = null;
            seedMoved = heldSeed != null;
            sealerMoved = ownedSealer != null;
            sealerOwned = false; // the generator (or, on a usage error, the catch below) closes it now
            try {
                String kid = keyId != null ? KeyIds.check(keyId) : directoryName(keyPath);
                KeySetRequest request = new KeySetRequest(parameters != null ? parameters : Parameters.forPreset(preset),
                        evalMode, dims, kid, metadataEncryption, () -> EngineSelector.select(backend), threads, requester,
                        clock, progress, sealer);
                return new KeyGenerator(this, request, heldSeed, ownedSealer);
            } catch (RuntimeException | Error e) {
                if (heldSeed != null) {
                    heldSeed.close();
                }
                if (ownedSealer != null) {
                    ownedSealer.close();
                }
                throw e;
            }
        }

        /** The kid written into envelopes without a key id: the key directory's name. */
        private static String directoryName(Path keyPath) {
            Path name = keyPath.toAbsolutePath().normalize().getFileName();
            return name == null ? "keys" : name.toString();
        }

        /** The seed this builder holds, or null: for tests that check build() hands it on. */
        Seed heldSeed() {
            return seed;
        }
    }
}
