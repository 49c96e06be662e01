package io.evkeygen;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.engine.EngineSelector;
import io.evkeygen.internal.engine.KeyEngine;
import io.evkeygen.internal.keydir.LocalKeyStore;
import io.evkeygen.internal.ops.KeySetGenerator;
import io.evkeygen.internal.ops.KeySetRequest;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.ProgressListener;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.Dimensions;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Kek;
import io.evkeygen.secret.Seed;
import io.evkeygen.spi.AesKekProvider;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyFileSink;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.KeyStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Generates enVector key sets, like the Python SDK's {@code KeyGenerator}.
 *
 * <pre>{@code
 * Path dir = KeyGenerator.builder().keyPath(Path.of("keys")).keyId("demo").dims(1024).build().generateKeys();
 * }</pre>
 *
 * A generator may be used many times; each call produces a new key set (the same one again when a
 * seed is set). It keeps a copy of the seed, if any, for that purpose.
 */
public final class KeyGenerator {
    private final Path keyPath;
    private final String keyId;
    private final List<Integer> dims;
    private final Parameters parameters;
    private final EvalMode evalMode;
    private final boolean metadataEncryption;
    private final Seed seed;
    private final int threads;
    private final KeyEngine engine;
    private final Requester requester;
    private final Clock clock;
    private final ProgressListener progress;
    private final KekProvider sealer;
    private final boolean dimsGiven;
    private final boolean evalModeGiven;
    private final boolean metadataEncryptionGiven;

    private KeyGenerator(Builder b) {
        this.keyPath = b.keyPath;
        this.keyId = b.keyId == null ? null : KeyIds.check(b.keyId);
        this.dims = Dimensions.normalize(b.dims);
        this.parameters = b.parameters != null ? b.parameters : Parameters.forPreset(b.preset);
        this.evalMode = b.evalMode;
        this.metadataEncryption = b.metadataEncryption;
        this.seed = b.seed == null ? null : b.seed.copy();
        KeySetRequest.checkThreads(b.threads);
        this.threads = b.threads;
        // Last: every usage error is reported before a backend is loaded.
        this.engine = EngineSelector.select(b.backend);
        this.requester = b.requester;
        this.clock = b.clock;
        this.progress = b.progress;
        this.sealer = b.sealer;
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
        LocalKeyStore store = new LocalKeyStore(keyPath);
        store.save(keyId, sink -> KeySetGenerator.generate(request(), sink));
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
        if (keyId == null && !(store instanceof LocalKeyStore)) {
            throw KeygenException.usage("a key id is required to store keys in " + store);
        }
        return store.save(keyId, sink -> KeySetGenerator.generate(request(), sink));
    }

    /** Generates a key set in memory only: nothing touches the disk. Large FLAT sets need a large heap. */
    public KeySetBlobs generateKeysStream() throws IOException {
        MemorySink sink = new MemorySink();
        try {
            KeySetGenerator.generate(request(), sink);
            Map<KeyFileKind, byte[]> files = new EnumMap<>(KeyFileKind.class);
            sink.streams.forEach((kind, out) -> files.put(kind, out.toByteArray()));
            return new KeySetBlobs(files);
        } finally {
            sink.streams.forEach((kind, out) -> out.reset()); // drop the buffers we no longer own
        }
    }

    /** A fresh request per generation: the generator zeroes the seed it is given. */
    KeySetRequest request() {
        return new KeySetRequest(parameters, evalMode, dims, kid(), metadataEncryption,
                seed == null ? null : seed.copy(), engine, threads, requester, clock, progress, sealer);
    }

    /** The kid written into envelopes: the key id, or the key directory's name without one. */
    String kid() {
        if (keyId != null) {
            return keyId;
        }
        Path name = keyPath.toAbsolutePath().normalize().getFileName();
        return name == null ? "keys" : name.toString();
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
        return dims;
    }

    public EvalMode evalMode() {
        return evalMode;
    }

    public Parameters parameters() {
        return parameters;
    }

    public boolean metadataEncryption() {
        return metadataEncryption;
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
        return sealer != null;
    }

    /** The provider that seals (and so opens) this generator's sets, or null. */
    KekProvider sealer() {
        return sealer;
    }

    /** The engine's backend name, e.g. {@code java}. */
    public String backend() {
        return engine.name();
    }

    /** In-memory sink for {@link #generateKeysStream()}: no scratch directory, so EvalKey stays in memory. */
    private static final class MemorySink implements KeyFileSink {
        final Map<KeyFileKind, ByteArrayOutputStream> streams = new EnumMap<>(KeyFileKind.class);

        @Override
        public OutputStream open(KeyFileKind kind) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            streams.put(kind, out);
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
        private int threads = Runtime.getRuntime().availableProcessors();
        private String backend = "auto";
        private Requester requester;
        private Clock clock = Clock.systemUTC();
        private ProgressListener progress = ProgressListener.NONE;
        private KekProvider sealer;

        private Builder() {}

        /**
         * Seals SecKey.json and MetadataKey.json with a 32-byte key-encryption key (copied; the
         * generator keeps its copy for its lifetime). Null: unsealed (the default).
         */
        public Builder seal(byte[] kek) {
            this.sealer = kek == null ? null : KekProvider.aes(kek);
            return this;
        }

        /** Seals with a copy of {@code kek}. */
        public Builder seal(Kek kek) {
            this.sealer = kek == null ? null : new AesKekProvider(kek.copy());
            return this;
        }

        /** Seals with KEKs from {@code provider} (e.g. {@code io.evkeygen.aws.AwsKmsKekProvider}); not closed. */
        public Builder seal(KekProvider provider) {
            this.sealer = provider;
            return this;
        }

        /** Parent directory of key sets; default {@code ./keys}. */
        public Builder keyPath(Path keyPath) {
            this.keyPath = java.util.Objects.requireNonNull(keyPath, "keyPath");
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
            this.parameters = java.util.Objects.requireNonNull(parameters, "parameters");
            return this;
        }

        /** Default RMP; once set, an existing set of another mode does not fit {@link KeyManager#ensureKeys(KeyGenerator)}. */
        public Builder evalMode(EvalMode evalMode) {
            this.evalMode = java.util.Objects.requireNonNull(evalMode, "evalMode");
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

        /** Deterministic generation from at least 64 bytes (the first 64 are used); copied. */
        public Builder seed(byte[] seed) {
            return seed(seed == null ? null : Seed.of(seed));
        }

        /** Deterministic generation from {@code seed} (copied: the caller still closes it); null: a random seed. */
        public Builder seed(Seed seed) {
            if (this.seed != null) {
                this.seed.close();
            }
            this.seed = seed == null ? null : seed.copy();
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
            this.clock = java.util.Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder progress(ProgressListener progress) {
            this.progress = progress == null ? ProgressListener.NONE : progress;
            return this;
        }

        public KeyGenerator build() {
            return new KeyGenerator(this);
        }
    }
}
