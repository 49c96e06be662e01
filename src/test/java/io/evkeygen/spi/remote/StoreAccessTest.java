package io.evkeygen.spi.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plaintext rule (loopback decided by the literal host, never by DNS) and the deadline's bounds. */
class StoreAccessTest {
    @Test
    void loopbackIsDecidedByTheLiteralHost() {
        for (String h : new String[] {"127.0.0.1", "127.255.0.9", "localhost", "LocalHost", "::1", "[::1]",
                "0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]"}) {
            assertTrue(Loopback.isLoopback(h), h);
        }
        for (String h : Arrays.asList("128.0.0.1", "10.0.0.1", "127.0.0.1.nip.io", "localhost.example.com", "vault",
                "::2", "[::]", "999.0.0.1", "0177.0.0.1", "", null)) {
            assertFalse(Loopback.isLoopback(h), h);
        }
    }

    @Test
    void plaintextToAnotherHostIsRefusedUnlessAllowed() {
        URI remote = URI.create("http://minio.internal:9000");
        KeygenException e = assertThrows(KeygenException.class,
                () -> StoreAccess.DEFAULT.checkPlaintext("the S3 endpoint", remote, "EncKey and EvalKey"));
        assertEquals(KeygenException.Setting.PLAINTEXT_REMOTE, e.setting().orElseThrow());
        assertEquals("the S3 endpoint http://minio.internal:9000 is plaintext to a host that is not this machine: EncKey"
                + " and EvalKey would travel in clear; use TLS (https://), or allow plaintext explicitly", e.getMessage());
        assertTrue(StoreAccess.DEFAULT.withPlaintextRemoteAllowed(true).checkPlaintext("the S3 endpoint", remote, "x")
                .isPresent());
        assertEquals(Optional.empty(), StoreAccess.DEFAULT.checkPlaintext("e", URI.create("https://minio.internal"), "x"));
        assertEquals(Optional.empty(), StoreAccess.DEFAULT.checkPlaintext("e", URI.create("http://127.0.0.1:9000"), "x"));
    }

    @Test
    void theDeadlineIsPositiveAndBounded() {
        assertEquals(Duration.ofSeconds(120), StoreAccess.DEFAULT.callTimeout());
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofHours(25)}) {
            KeygenException e = assertThrows(KeygenException.class, () -> StoreAccess.DEFAULT.withCallTimeout(bad));
            assertEquals(KeygenException.Setting.STORE_TIMEOUT, e.setting().orElseThrow());
        }
        assertEquals("0.25 s", StoreAccess.seconds(Duration.ofMillis(250)));
        assertEquals(Duration.ofSeconds(1), StoreAccess.DEFAULT.withCallTimeout(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)));
    }
}
