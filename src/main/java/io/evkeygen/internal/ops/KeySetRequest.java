package io.evkeygen.internal.ops;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.engine.KeyEngine;
import io.evkeygen.keyset.ProgressListener;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.Dimensions;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Seed;
import io.evkeygen.spi.KekProvider;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Everything one key-set generation needs, validated. The generator takes ownership of {@code seed}
 * (null: a fresh random one) and zeroes it, so build a new request per generation.
 *
 * @param dims   normalized on construction (sorted, unique; empty means the default list)
 * @param sealer seals SecKey and MetadataKey (spec sections 10, 11), or null for unsealed files; not closed
 */
public record KeySetRequest(Parameters parameters, EvalMode evalMode, List<Integer> dims, String kid,
                            boolean metadataEncryption, Seed seed, KeyEngine engine, int threads,
                            Requester requester, Clock clock, ProgressListener progress, KekProvider sealer) {

    public KeySetRequest {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(evalMode, "evalMode");
        Objects.requireNonNull(engine, "engine");
        dims = Dimensions.normalize(dims);
        if (kid == null || kid.isEmpty()) {
            throw KeygenException.usage("key id must not be empty");
        }
        if (threads < 1) {
            throw KeygenException.usage(KeygenException.Setting.THREADS, "threads must be at least 1, got " + threads);
        }
        requester = requester == null ? Requester.fromEnvironment() : requester;
        clock = clock == null ? Clock.systemUTC() : clock;
        progress = progress == null ? ProgressListener.NONE : progress;
    }

    /** An unsealed request. */
    public KeySetRequest(Parameters parameters, EvalMode evalMode, List<Integer> dims, String kid,
                         boolean metadataEncryption, Seed seed, KeyEngine engine, int threads,
                         Requester requester, Clock clock, ProgressListener progress) {
        this(parameters, evalMode, dims, kid, metadataEncryption, seed, engine, threads, requester, clock, progress, null);
    }

    @Override
    public String toString() {
        // The record default would print the seed's toString (redacted) but spell it out anyway.
        return "KeySetRequest[" + parameters.preset() + ", " + evalMode + ", dims=" + dims + ", kid=" + kid
                + ", metadataEncryption=" + metadataEncryption + ", engine=" + engine.name() + ", threads=" + threads
                + (sealer == null ? "" : ", sealed=" + sealer.description()) + "]";
    }
}
