package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.params.EvalMode;
import io.evkeygen.secret.SecretBytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyManagerTest {
    @TempDir
    Path tmp;

    @Test
    void anExistingInvalidSetIsNeverRegenerated() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("demo"));
        Files.writeString(dir.resolve("SecKey.json"), "{broken");
        Files.writeString(dir.resolve("EncKey.json"), "{broken");
        Files.writeString(dir.resolve("EvalKey.json"), "{broken");
        KeygenException e = assertThrows(KeygenException.class,
                () -> KeyManager.ensureKeys(tmp, "demo", List.of(32), EvalMode.RMP));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertEquals("{broken", Files.readString(dir.resolve("SecKey.json")));
        assertEquals(List.of("EncKey.json", "EvalKey.json", "SecKey.json"), TestSupport.list(dir));
    }

    @Test
    void ensureKeysGeneratesThenLoads() throws Exception {
        KeySet first = KeyManager.ensureKeys(tmp, "demo", List.of(32, 64), EvalMode.RMP);
        assertEquals(List.of(32, 64), first.dims());
        assertEquals(EvalMode.RMP, first.evalMode());
        assertEquals("demo", first.keyId());
        assertTrue(first.hasMetadataKey());
        KeySet second = KeyManager.ensureKeys(tmp, "demo", List.of(32), EvalMode.RMP);
        assertArrayEquals(first.encKeyBytes(), second.encKeyBytes(), "loaded, not regenerated");
        try (SecretBytes sk = second.secretKey()) {
            assertEquals(1029, sk.length());
        }
        KeygenException mismatch = assertThrows(KeygenException.class,
                () -> KeyManager.ensureKeys(tmp, "demo", List.of(32), EvalMode.FLAT));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, mismatch.kind());
    }
}
