package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.testutil.ScoreCiphertexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scores encrypted here under freshly generated sets' public keys decrypt to what was encrypted, at
 * the pad rank the set's dims give; the decryptor opens sealed sets from a store; TopK's edges.
 */
class ScoreDecryptorTest {
    private static final byte[] KEK = new byte[32];

    @TempDir
    static Path tmp;

    /** IP0, RMP dims 32 and 4096 (pad ranks 32 and 64), sealed, in a local store. */
    static KeyStore store;
    static KeySet mixed;
    /** IP1, RMP dim 1024 (pad rank 32), unsealed. */
    static KeySet ip1;

    @BeforeAll
    static void generate() throws IOException {
        Arrays.fill(KEK, (byte) 7);
        Path keys = tmp.resolve("keys");
        try (KeyGenerator g = KeyGenerator.builder().keyPath(keys).keyId("mixed").dims(32, 4096).seal(KEK)
                .metadataEncryption(false).build()) {
            mixed = KeySet.load(g.generateKeys(), KekProvider.aes(KEK));
        }
        store = KeyStores.local(keys);
        try (KeyGenerator g = KeyGenerator.builder().keyPath(keys).keyId("ip1").preset("IP1").dims(1024)
                .metadataEncryption(false).build()) {
            ip1 = KeySet.load(g.generateKeys());
        }
    }

    private static double[] uniform(int n, long seed) {
        Random rnd = new Random(seed);
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = rnd.nextDouble() * 1.8 - 0.9;
        }
        return v;
    }

    private static byte[] encrypt(KeySet keys, double[] values, int padRank, double scale, int level, long headerDim) {
        return ScoreCiphertexts.encrypt(keys.parameters(), keys.encKeyBytes(), values, padRank, scale, level, headerDim,
                new Random(values.length + level));
    }

    private static void assertClose(double[] want, float[] got) {
        assertEquals(want.length, got.length);
        for (int j = 0; j < want.length; j++) {
            // the noise (u·e + e0 + e1·s, a few thousand) over the scale is far below a float's rounding
            assertEquals((float) want[j], got[j], 1e-6f, "item " + j);
        }
    }

    private static void usage(Executable call, String message) {
        KeygenException e = assertThrows(KeygenException.class, call);
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        assertEquals(message, e.getMessage());
    }

    @Test
    void ownScoresRoundTripAtLevels0And1AndTheHeadersDimPicksThePadRank() throws IOException {
        try (ScoreDecryptor d = ScoreDecryptor.of(mixed)) {
            assertEquals(List.of(32, 4096), d.dims());
            assertEquals(0x1p48, d.defaultScale());
            double[] v = uniform(5000, 1);
            assertClose(v, d.decrypt(encrypt(mixed, v, 32, 0x1p48, 0, 32)));
            assertClose(v, d.decrypt(encrypt(mixed, v, 32, 0x1p48, 1, 32)));
            assertClose(v, d.decrypt(encrypt(mixed, v, 64, 0x1p48, 0, 4096)));
            assertClose(v, d.decrypt(encrypt(mixed, v, 64, 0x1p48, 1, 4096)));
            // the same bytes read with the other pad rank are other items: the rank matters
            float[] wrong = d.decrypt(encrypt(mixed, v, 64, 0x1p48, 0, 4096), 32, 0x1p48);
            assertTrue(Math.abs(wrong[1] - v[1]) > 1e-3);
        }
    }

    @Test
    void ip1ScoresRoundTripAtTheDefaultScale() throws IOException {
        try (ScoreDecryptor d = ScoreDecryptor.of(ip1)) {
            assertEquals("IP1", d.parameters().preset());
            assertEquals(0x1p68, d.defaultScale());
            double[] v = uniform(4096, 2);
            assertClose(v, d.decrypt(encrypt(ip1, v, 32, 0x1p68, 1, 1)));
            double[] w = uniform(100, 3); // a short last block: the rest is padding
            assertClose(w, d.decrypt(encrypt(ip1, w, 32, 0x1p58, 0, 1), 32, 0x1p58));
        }
    }

    @Test
    void aMixedSetDecodesOnlyWhenTheHeaderNamesOneOfItsDims() throws IOException {
        try (ScoreDecryptor d = ScoreDecryptor.of(mixed)) {
            assertEquals(32, d.padRank(32));
            assertEquals(64, d.padRank(4096));
            String why = "the header's dim 1 is not one of the set's RMP dims [32, 4096], and dims with pad ranks 32"
                    + " and 64: generate with one dim";
            usage(() -> d.padRank(1), why);
            byte[] ct = encrypt(mixed, uniform(10, 4), 32, 0x1p48, 0, 1);
            usage(() -> d.decrypt(ct), "score ciphertext 0: " + why);
            usage(() -> d.topK(List.of(ct, ct), 3, null, null), "score ciphertext 0: " + why);
        }
        try (ScoreDecryptor d = ScoreDecryptor.of(ip1)) {
            assertEquals(32, d.padRank(1), "one dim: its rank whatever the header says");
        }
    }

    @Test
    void openReadsASealedSetFromAStoreWithItsModeAndDims() throws IOException {
        double[] v = uniform(300, 5);
        byte[] ct = encrypt(mixed, v, 64, 0x1p48, 0, 4096);
        try (ScoreDecryptor d = ScoreDecryptor.open(store, "mixed", KekProvider.aes(KEK))) {
            assertEquals(EvalMode.RMP, d.evalMode());
            assertEquals(List.of(32, 4096), d.dims());
            assertEquals(Parameters.IP0, d.parameters());
            assertClose(v, d.decrypt(ct));
        }
        try (ScoreDecryptor d = ScoreDecryptor.open(store, "mixed", KekProvider.aes(KEK), EvalMode.RMP, List.of(4096))) {
            assertClose(v, d.decrypt(ct));
        }
        KeygenException noKek = assertThrows(KeygenException.class, () -> ScoreDecryptor.open(store, "mixed", null));
        assertEquals(KeygenException.Kind.UNSEAL, noKek.kind());
        byte[] other = KEK.clone();
        other[0] ^= 1;
        KeygenException wrongKek = assertThrows(KeygenException.class,
                () -> ScoreDecryptor.open(store, "mixed", KekProvider.aes(other)));
        assertEquals(KeygenException.Kind.UNSEAL, wrongKek.kind());
    }

    @Test
    void aSetStoredUnderAnotherKeyIdIsRefused() throws IOException {
        Path keys = tmp.resolve("keys");
        Path moved = keys.resolve("renamed");
        Files.createDirectories(moved);
        try (Stream<Path> files = Files.list(keys.resolve("mixed"))) {
            for (Path f : files.toList()) {
                Files.copy(f, moved.resolve(f.getFileName()));
            }
        }
        KeygenException e = assertThrows(KeygenException.class,
                () -> ScoreDecryptor.open(store, "renamed", KekProvider.aes(KEK)));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertEquals("EvalKey.json stored under key id renamed is key mixed's", e.getMessage());
        e = assertThrows(KeygenException.class,
                () -> ScoreDecryptor.open(store, "renamed", KekProvider.aes(KEK), EvalMode.RMP, List.of(32)));
        assertEquals("SecKey.json stored under key id renamed is key mixed's", e.getMessage());
    }

    @Test
    void mmSetsAreRefused(@TempDir Path dir) throws IOException {
        try (KeyGenerator g = KeyGenerator.builder().keyPath(dir).keyId("mm").evalMode(EvalMode.MM)
                .metadataEncryption(false).build();
             ScoreDecryptor d = ScoreDecryptor.of(KeySet.load(g.generateKeys()))) {
            assertEquals(List.of(), d.dims());
            byte[] ct = ScoreCiphertexts.withHeader(ScoreCiphertexts.size(0, 1), 0, 0, 4096, 1, 4096);
            usage(() -> d.decrypt(ct), "TopK for MM sets is not supported");
            usage(() -> d.decrypt(ct, 32, 1), "TopK for MM sets is not supported");
            usage(() -> d.topK(List.of(ct), 1, null, null), "TopK for MM sets is not supported");
        }
    }

    @Test
    void topKEdges() throws IOException {
        double[] v = uniform(50, 6);
        v[17] = 0.99;
        byte[] ct = encrypt(ip1, v, 32, 0x1p68, 1, 1);
        try (ScoreDecryptor d = ScoreDecryptor.of(ip1)) {
            assertEquals(List.of(), d.topK(List.of(ct), 0, null, null));
            assertEquals(List.of(), d.topK(List.of(), 5, null, new long[0]));
            List<RankedScore> all = d.topK(List.of(ct), 1000, null, new long[0]);
            assertEquals(50, all.size(), "k above the item count: every item, no padding");
            assertEquals(new RankedScore(d.decrypt(ct)[17], 0, 17), all.get(0));
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i - 1).score() >= all.get(i).score());
            }
            assertEquals(List.of(new RankedScore(all.get(0).score(), 9, 17)), d.topK(List.of(ct), 1, null, new long[] {9}));
            List<RankedScore> kept = d.topK(List.of(ct), 1000, 0.5f, null);
            assertEquals(all.stream().filter(r -> r.score() >= 0.5f).toList(), kept);
            usage(() -> d.topK(List.of(ct), -1, null, null), "k is -1: it must be 0 or more");
            usage(() -> d.topK(List.of(ct), 5, Float.NaN, null), "the score threshold is NaN: give a number or none");
            usage(() -> d.topK(List.of(ct, ct), 5, null, new long[] {1, 2, 3}),
                    "3 shard indices for 2 score ciphertexts: give one per ciphertext, or none");
            byte[] bad = ct.clone();
            ScoreCiphertexts.putWord(bad, 2, 1, 9, ip1.parameters().p()); // a mod P, refused while decrypting in parallel
            for (int round = 0; round < 20; round++) { // the first bad one, whichever thread meets which first
                usage(() -> d.topK(List.of(ct, ct, bad, ct, bad), 5, null, null),
                        "score ciphertext 2: word 9 of block 0 of a mod P is not below P (not reduced)");
            }
            byte[] shortOne = Arrays.copyOf(ct, 100);
            usage(() -> d.topK(List.of(ct, shortOne), 5, null, null), "score ciphertext 1: n = 50 items need 1 block(s)"
                    + " of 131072 bytes at level 1, but the 100 bytes hold 0: truncated or inconsistent");
        }
    }

    @Test
    void aClosedDecryptorRefuses() throws IOException {
        ScoreDecryptor d = ScoreDecryptor.of(ip1);
        byte[] ct = encrypt(ip1, uniform(8, 7), 32, 0x1p68, 1, 1);
        d.decrypt(ct);
        d.close();
        d.close();
        assertThrows(IllegalStateException.class, () -> d.decrypt(ct));
        assertThrows(IllegalStateException.class, () -> d.topK(List.of(ct), 1, null, null));
    }
}
