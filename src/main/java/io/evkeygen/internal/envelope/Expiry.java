package io.evkeygen.internal.envelope;

import io.evkeygen.error.KeygenException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * The {@code expires_at} of every envelope a caller reads: each must lie in the future, and a key set
 * expires with its earliest file (a set is only as current as its oldest part).
 */
public final class Expiry {
    private final Path dir;
    private final Clock clock;
    private Instant earliest;

    /** Judges the files of the key set in {@code dir} (named in errors) by {@code clock}. */
    public Expiry(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /**
     * Notes {@code header}'s expires_at (created_at + 1825 days, as the reader checked).
     *
     * @throws KeygenException INVALID_KEY when it has passed
     */
    public void check(EnvelopeHeader header) {
        Instant expiresAt = EnvelopeFields.expiresAt(header.createdAt());
        if (!expiresAt.isAfter(clock.instant())) {
            throw KeygenException.invalidKey("the key set in " + dir + " expired on " + expiresAt + " ("
                    + header.kind().fileName() + "'s expires_at: keys are valid for 1825 days from created_at);"
                    + " generate a new key set");
        }
        if (earliest == null || expiresAt.isBefore(earliest)) {
            earliest = expiresAt;
        }
    }

    /** The earliest expires_at checked so far (null before the first). */
    public Instant earliest() {
        return earliest;
    }
}
