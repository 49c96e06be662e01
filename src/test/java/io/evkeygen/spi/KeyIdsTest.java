package io.evkeygen.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evkeygen.error.KeygenException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyIdsTest {
    @ParameterizedTest
    @ValueSource(strings = {"demo", "test-key", "a.b", "key_1", "a..b"})
    void acceptsSingleComponents(String id) {
        assertEquals(id, KeyIds.check(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "/abs", "a\\b", "..", ".", ".hidden", "a\nb", "tab\there", "nul\0x", "del\u007f"})
    void refusesUnsafeIds(String id) {
        KeygenException e = assertThrows(KeygenException.class, () -> KeyIds.check(id));
        assertEquals(KeygenException.Kind.USAGE, e.kind());
    }

    @org.junit.jupiter.api.Test
    void refusesNullAndOverlong() {
        assertThrows(KeygenException.class, () -> KeyIds.check(null));
        assertThrows(KeygenException.class, () -> KeyIds.check("k".repeat(256)));
    }
}
