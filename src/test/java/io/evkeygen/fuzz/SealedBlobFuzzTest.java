package io.evkeygen.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evkeygen.internal.envelope.EnvelopeHeader;
import io.evkeygen.internal.seal.AesKekSeal;
import io.evkeygen.internal.seal.Sealing;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.params.Parameters;
import io.evkeygen.params.Presets;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.AesKekProvider;
import io.evkeygen.spi.SealFields;
import io.evkeygen.testutil.FuzzExpectations;
import io.evkeygen.testutil.SealTestKeys;
import java.time.Instant;
import java.util.Arrays;

/**
 * Fuzzes the sealed-blob reader: {@link AesKekSeal#open} (header, reserved field, IV, tag, length,
 * AES-GCM) and {@link Sealing#open} (the envelope's iv/tag against the blob's, then the blob) with a
 * fixed KEK. Seeds: SealedBlobFuzzTestInputs/blob/, real blobs sealed with {@link SealTestKeys#kek}(1).
 */
class SealedBlobFuzzTest {
    static final byte[] KEK = SealTestKeys.kek(1);

    @FuzzTest(maxDuration = "30s")
    void blob(byte[] blob) {
        Parameters params = Presets.byName("IP0");
        try {
            byte[] plain = AesKekSeal.open(params, blob, KEK);
            // a blob that opens is one this KEK sealed: it must round-trip
            byte[] again = AesKekSeal.open(params, AesKekSeal.seal(params, plain, KEK).blob(), KEK);
            if (!Arrays.equals(plain, again)) {
                throw new AssertionError("seal/open round trip differs");
            }
        } catch (Throwable t) {
            FuzzExpectations.expected(t);
        }
        // the envelope path: iv and tag as a well-formed blob would carry them
        byte[] iv = slice(blob, AesKekSeal.header(params.preset()).length + 4, AesKekSeal.IV_LENGTH);
        byte[] tag = slice(blob, AesKekSeal.header(params.preset()).length + 4 + AesKekSeal.IV_LENGTH,
                AesKekSeal.TAG_LENGTH);
        EnvelopeHeader header = new EnvelopeHeader(KeyFileKind.SECKEY, "fuzz", Instant.EPOCH, null, null, params,
                new SealFields(SealFields.AES_KEK, iv, tag, null));
        try (AesKekProvider provider = new AesKekProvider(Kek.of(KEK.clone()))) {
            Arrays.fill(Sealing.open(provider, header, blob), (byte) 0);
        } catch (Throwable t) {
            FuzzExpectations.expected(t);
        }
    }

    private static byte[] slice(byte[] b, int from, int len) {
        byte[] out = new byte[len];
        if (from < b.length) {
            System.arraycopy(b, from, out, 0, Math.min(len, b.length - from));
        }
        return out;
    }
}
