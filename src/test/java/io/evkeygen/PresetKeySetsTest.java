package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.internal.verify.KeySetVerifier;
import io.evkeygen.keyset.VerificationReport;
import io.evkeygen.params.Parameters;
import io.evkeygen.params.Presets;
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

    @Test
    void sealedIp1SetNamesIp1InItsSealHeaderAndVerifiesWithItsKek() throws Exception {
        byte[] kek = new byte[32];
        java.util.Arrays.fill(kek, (byte) 7);
        Path dir = KeyGenerator.builder().preset("ip1").keyPath(tmp).keyId("sealed").dims(32).evalMode("flat")
                .seal(kek.clone()).build().generateKeys();
        String sec = java.nio.file.Files.readString(dir.resolve("SecKey.json"));
        String keyData = new com.fasterxml.jackson.databind.ObjectMapper().readTree(sec)
                .at("/entries/0/key_data").asText();
        String header = new String(java.util.Base64.getDecoder().decode(keyData), 0, 59,
                java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("{\n    \"ParameterPreset\": \"IP1\",\n    \"SealType\": \"AES-KEK\"\n}", header);
        VerificationReport r = KeySetVerifier.verify(dir, kek);
        assertTrue(r.secretChecked());
        assertEquals(Presets.byName("ip1"), r.parameters());
        assertEquals(34, r.keysChecked());
    }
}
