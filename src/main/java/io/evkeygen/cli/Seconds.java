package io.evkeygen.cli;

import io.evkeygen.error.KeygenException;
import java.time.Duration;

/** A deadline flag in seconds (--timeout, --register_timeout, --store_timeout): finite, above 0, bounded. */
final class Seconds {
    private Seconds() {}

    /** {@code seconds} as a deadline, rounded up to the nanosecond; NaN and Infinity are usage errors. */
    static Duration deadline(double seconds, String flag, Duration max) {
        if (!(seconds > 0) || seconds > max.toSeconds()) { // NaN fails the first test, Infinity the second
            throw KeygenException.usage(flag + " must be more than 0 and at most " + max.toSeconds()
                    + " seconds, not " + seconds);
        }
        return Duration.ofNanos((long) Math.ceil(seconds * 1e9));
    }
}
