package io.evkeygen.spi.remote;

import io.evkeygen.error.KeygenException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How a remote key store (Vault, AWS, Google Cloud) is reached: the deadline of each remote call, and
 * whether a plaintext endpoint on another machine is allowed.
 *
 * @param callTimeout          the deadline of one remote call, its response body included: one
 *                             request to Vault, one S3 or Secrets Manager call (one multipart part, one
 *                             object download), one Cloud Storage or Secret Manager call; null means
 *                             {@link #DEFAULT_CALL_TIMEOUT}; more than 0 and at most {@link #MAX_CALL_TIMEOUT}
 * @param allowPlaintextRemote whether a plaintext endpoint ({@code http://}, a plaintext gRPC emulator)
 *                             on a host that is not loopback is allowed: tokens and secrets then travel
 *                             in clear. False refuses such an endpoint with a usage error.
 */
public record StoreAccess(Duration callTimeout, boolean allowPlaintextRemote) {
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(120);
    /** A deadline, not a way to switch it off. */
    public static final Duration MAX_CALL_TIMEOUT = Duration.ofHours(24);
    public static final StoreAccess DEFAULT = new StoreAccess(null, false);


    public StoreAccess {
        callTimeout = callTimeout == null ? DEFAULT_CALL_TIMEOUT : callTimeout;
        if (callTimeout.isNegative() || callTimeout.isZero() || callTimeout.compareTo(MAX_CALL_TIMEOUT) > 0) {
            throw KeygenException.usage(KeygenException.Setting.STORE_TIMEOUT, "the deadline of a remote store call must"
                    + " be more than 0 and at most " + MAX_CALL_TIMEOUT.toSeconds() + " seconds");
        }
    }

    public StoreAccess withCallTimeout(Duration timeout) {
        return new StoreAccess(timeout, allowPlaintextRemote);
    }

    public StoreAccess withPlaintextRemoteAllowed(boolean allowed) {
        return new StoreAccess(callTimeout, allowed);
    }

    /** {@code d}, or the call deadline when that is shorter: a connect or read timeout within the call's. */
    public Duration atMost(Duration d) {
        return d.compareTo(callTimeout) <= 0 ? d : callTimeout;
    }

    /** A deadline for messages: {@code 120 s}, {@code 0.25 s}. */
    public static String seconds(Duration d) {
        long ms = d.toMillis();
        return (ms % 1000 == 0 ? Long.toString(ms / 1000) : BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString())
                + " s";
    }

    /** {@code access} or, when null, {@link #DEFAULT}. */
    public static StoreAccess orDefault(StoreAccess access) {
        return access == null ? DEFAULT : access;
    }

    /** {@link #checkPlaintext(String, boolean, String, String)} for an {@code http://} or {@code https://} URL. */
    public Optional<String> checkPlaintext(String what, URI endpoint, String carries) {
        return checkPlaintext(what + " " + endpoint, "http".equalsIgnoreCase(endpoint.getScheme()), endpoint.getHost(),
                carries);
    }

    /**
     * The plaintext rule: TLS, or plaintext to this machine, is fine (empty); plaintext to any other
     * host is refused unless allowed, and then the result is the warning to show.
     *
     * @param what      the endpoint, for messages ({@code Vault address http://vault:8200})
     * @param plaintext whether the endpoint is reached without TLS
     * @param host      the endpoint's host as written (never resolved)
     * @param carries   what travels over it ({@code the Vault token and SecKey})
     */
    public Optional<String> checkPlaintext(String what, boolean plaintext, String host, String carries) {
        if (!plaintext || Loopback.isLoopback(host)) {
            return Optional.empty();
        }
        if (!allowPlaintextRemote) {
            throw KeygenException.usage(KeygenException.Setting.PLAINTEXT_REMOTE, what + " is plaintext to a host that is not"
                    + " this machine: " + carries + " would travel in clear; use TLS (https://), or allow plaintext"
                    + " explicitly");
        }
        return Optional.of(what + " is plaintext to a host that is not this machine: " + carries + " travel in clear");
    }
}
