package io.evkeygen.internal.ops;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.engine.KeyEngine;
import io.evkeygen.internal.layout.EvalKeyLayout;
import io.evkeygen.keyset.ProgressListener;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.spi.KekProvider;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything a key-set generation needs except its seed, validated once on construction: dims
 * normalized into the EvalKey layout, threads in range, defaults filled in. Immutable, so one
 * request serves any number of generations; each passes its own seed to
 * {@link KeySetGenerator#generate}.
 */
public final class KeySetRequest {
    /** Worker threads per key set: at least 1, at most {@value #MAX_THREADS} (more only costs memory). */
    public static final int MAX_THREADS = 512;

    private final Parameters parameters;
    private final EvalKeyLayout evalKey;
    private final String kid;
    private final boolean metadataEncryption;
    private final KeyEngine engine;
    private final int threads;
    private final Requester requester;
    private final Clock clock;
    private final ProgressListener progress;
    private final KekProvider sealer;

    /**
     * A null requester, clock or progress listener takes the default (environment, system clock, none).
     *
     * @param dims    any order, duplicates allowed; empty means the default list
     * @param kid     the kid written into envelopes (the caller checked it as a key id or a directory name)
     * @param engine  asked for last, once everything else is valid: no backend loads for a bad request
     * @param sealer  seals SecKey and MetadataKey (spec sections 10, 11), or null for unsealed files; not closed
     */
    public KeySetRequest(Parameters parameters, EvalMode evalMode, List<Integer> dims, String kid,
                         boolean metadataEncryption, Supplier<KeyEngine> engine, int threads, Requester requester,
                         Clock clock, ProgressListener progress, KekProvider sealer) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.evalKey = EvalKeyLayout.of(parameters, Objects.requireNonNull(evalMode, "evalMode"), dims);
        this.kid = Objects.requireNonNull(kid, "kid");
        this.metadataEncryption = metadataEncryption;
        if (threads < 1 || threads > MAX_THREADS) {
            throw KeygenException.usage(KeygenException.Setting.THREADS, "threads must be 1.." + MAX_THREADS + ", got "
                    + threads);
        }
        this.threads = threads;
        this.requester = requester == null ? Requester.fromEnvironment() : requester;
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.sealer = sealer;
        this.engine = Objects.requireNonNull(engine.get(), "engine");
    }

    public Parameters parameters() {
        return parameters;
    }

    public EvalMode evalMode() {
        return evalKey.mode();
    }

    /** The dims, sorted and unique. */
    public List<Integer> dims() {
        return evalKey.dims();
    }

    /** What EvalKey.bin holds for these parameters, mode and dims. */
    public EvalKeyLayout evalKey() {
        return evalKey;
    }

    public String kid() {
        return kid;
    }

    public boolean metadataEncryption() {
        return metadataEncryption;
    }

    public KeyEngine engine() {
        return engine;
    }

    public int threads() {
        return threads;
    }

    public Requester requester() {
        return requester;
    }

    public Clock clock() {
        return clock;
    }

    public ProgressListener progress() {
        return progress;
    }

    /** Seals SecKey and MetadataKey, or null. */
    public KekProvider sealer() {
        return sealer;
    }

    @Override
    public String toString() {
        return "KeySetRequest[" + parameters.preset() + ", " + evalMode() + ", dims=" + dims() + ", kid=" + kid
                + ", metadataEncryption=" + metadataEncryption + ", engine=" + engine.name() + ", threads=" + threads
                + (sealer == null ? "" : ", sealed=" + sealer.description()) + "]";
    }
}
