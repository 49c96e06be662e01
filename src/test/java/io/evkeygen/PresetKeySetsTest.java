package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.params.Parameters;
import io.evkeygen.params.Presets;
import io.evkeygen.verify.KeySetVerifier;
import io.evkeygen.verify.VerificationReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every preset, and a custom parameter set, generate key sets that verify. */
class PresetKeySetsTest {
    @TempDir
    Path tmp;

    private VerificationReport generateAndVerify(KeyGenerator.Builder b, String id) throws Exception {
        Path dir = b.keyPath(tmp).keyId(id).dims(1024).threads(2).build().generateKeys();
        return KeySetVerifier.verify(dir);
    }

    @Test
    void ip1SetVerifies() throws Exception {
        VerificationReport r = generateAndVerify(KeyGenerator.builder().preset("ip1"), "ip1");
        assertEquals(Presets.byName("ip1"), r.parameters());
        assertEquals(34, r.keysChecked());
        assertTrue(r.maxError() <= 19);
    }

    @Test
    void validCustomSetGeneratesAndVerifies() throws Exception {
        Parameters custom = Parameters.custom(36028797014376449L, 2251799813554177L, 2048, 26.0, 24.0);
        VerificationReport r = generateAndVerify(KeyGenerator.builder().parameters(custom), "custom");
        assertEquals(custom, r.parameters());
        assertEquals("RUNTIME", r.parameters().preset());
        assertTrue(r.maxError() <= 19);
    }
}
