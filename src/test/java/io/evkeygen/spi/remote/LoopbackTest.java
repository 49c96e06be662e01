package io.evkeygen.spi.remote;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loopback by spelling: localhost, 127.0.0.0/8 and ::1, nothing that needs a resolver to decide. */
class LoopbackTest {
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LocalHost", "127.0.0.1", "127.0.0.2", "127.255.255.254", "127.000.000.001",
            "::1", "[::1]", "0:0:0:0:0:0:0:1", "0000::0001", "::ffff:127.0.0.1"})
    void loopback(String host) {
        assertTrue(Loopback.isLoopback(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.1", "128.0.0.1", "126.255.255.255", "127.0.0.256", "127.1", "0127.0.0.1",
            "127.0.0.1.nip.io", "localhost.", "localhost.example.com", "my-localhost", "example.com", "::2", "fe80::1",
            "::1%lo", "[::1", "0.0.0.0", "::", "::ffff:10.0.0.1", "1.2.3.4:5"})
    void remote(String host) {
        assertFalse(Loopback.isLoopback(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"envector.invalid", "a:b"})
    void aNameIsRemoteWithoutBeingLookedUp(String host) {
        // a lookup of .invalid may take seconds where DNS is slow or absent: deciding must not wait for one
        long t0 = System.nanoTime();
        assertFalse(Loopback.isLoopback(host), host);
        assertTrue(System.nanoTime() - t0 < 200_000_000L);
    }
}
