package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.secret.SecretBytes;
import org.junit.jupiter.api.Test;

class SecretBytesTest {
    @Test
    void revealsUntilClosedThenZeroes() {
        byte[] raw = {1, 2, 3};
        SecretBytes s = SecretBytes.wrap(raw);
        assertArrayEquals(new byte[] {1, 2, 3}, s.reveal());
        s.close();
        assertArrayEquals(new byte[3], raw);
        assertThrows(IllegalStateException.class, s::reveal);
    }

    @Test
    void toStringIsRedacted() {
        try (SecretBytes s = SecretBytes.wrap(new byte[] {0x41, 0x42})) {
            assertTrue(s.toString().contains("redacted"));
            assertFalse(s.toString().contains("AB") || s.toString().contains("65"));
        }
    }
}
