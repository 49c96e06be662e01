package io.evkeygen;

import io.evkeygen.secret.SecretBytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretBytesTest {
    @Test
    void revealsUntilClosedThenZeroes() {
        byte[] raw = {1, 2, 3};
        SecretBytes s = new SecretBytes(raw);
        assertArrayEquals(new byte[] {1, 2, 3}, s.revealBytes());
        s.close();
        assertArrayEquals(new byte[3], raw);
        assertThrows(IllegalStateException.class, s::revealBytes);
    }

    @Test
    void toStringIsRedacted() {
        try (SecretBytes s = new SecretBytes(new byte[] {0x41, 0x42})) {
            assertTrue(s.toString().contains("redacted"));
            assertFalse(s.toString().contains("AB") || s.toString().contains("65"));
        }
    }
}
