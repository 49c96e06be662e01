package io.evkeygen.kms;

import static io.evkeygen.kms.KmsEndToEndTest.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.KeySet;
import io.evkeygen.RankedScore;
import io.evkeygen.ScoreDecryptor;
import io.evkeygen.kms.KmsClient.KeyFile;
import io.evkeygen.kms.KmsClient.KeySpec;
import io.evkeygen.kms.server.KmsServer;
import io.evkeygen.params.Parameters;
import io.evkeygen.testutil.ScoreCiphertexts;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TopK end to end: a set the KMS generated with its default dims (IP0, RMP 32 to 2048, pad rank 32),
 * its EncKey downloaded through the client, score ciphertexts encrypted here under it with planted
 * maxima, and the KMS's ranking read back through {@link KmsClient#topK}: the planted items first,
 * ties by ciphertext then item, the shard indices, the threshold and the server's max_k, bit for
 * bit what {@link ScoreDecryptor} gives locally on the same ciphertexts.
 */
class KmsTopKEndToEndTest {
    private static final int MAX_K = 6;
    private static final int ITEMS = 300;
    /** Exact in binary, so the decrypted float is exactly this (the noise is about 2^-36 of it). */
    private static final double TOP = 0.875;
    private static final double SECOND = 0.75;

    @TempDir
    static Path tmp;

    private static KmsInProcess kms;
    private static KmsClient client;
    private static List<byte[]> scores;
    private static byte[] encKeyBin;

    @BeforeAll
    static void generateAndEncrypt() throws Exception {
        kms = new KmsInProcess(tmp, null, null, MAX_K);
        client = kms.client(KmsInProcess.ALICE);
        client.generateKey("scores", KeySpec.DEFAULTS);
        client.waitForKey("scores", Duration.ofSeconds(600));
        ByteArrayOutputStream enc = new ByteArrayOutputStream();
        client.download("scores", KeyFile.ENC_KEY, enc);
        JsonNode entry = new ObjectMapper().readTree(enc.toByteArray()).get("entries").get(0);
        encKeyBin = Base64.getDecoder().decode(entry.get("key_data").asText());
        Parameters params = Parameters.forPreset(entry.get("metadata").get("parameter").get("preset").asText());

        Random rnd = new Random(23);
        double[][] values = new double[3][ITEMS];
        for (double[] v : values) {
            for (int j = 0; j < ITEMS; j++) {
                v[j] = rnd.nextDouble() - 0.5; // background in [-0.5, 0.5)
            }
        }
        values[2][7] = TOP;      // tie with ciphertext 0's item 250: ciphertext 0 ranks first
        values[0][250] = TOP;
        values[1][40] = SECOND;  // tie within ciphertext 1: item 40 before item 41
        values[1][41] = SECOND;
        scores = new ArrayList<>();
        for (double[] v : values) {
            scores.add(ScoreCiphertexts.encrypt(params, encKeyBin, v, 32, Math.pow(2, 2 * params.dbScale()), 0, 1, rnd));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        kms.close();
    }

    private static List<RankedScore> local(int k, Float threshold, long[] shards) throws Exception {
        KeySet set = kms.stored("scores");
        assertEquals(KmsServer.DEFAULT_DIMS, set.dims(), "the server's default dims");
        try (ScoreDecryptor d = ScoreDecryptor.of(set)) {
            return d.topK(scores, k, threshold, shards);
        }
    }

    private static void assertBitIdentical(List<RankedScore> want, List<RankedScore> got) {
        assertEquals(want.size(), got.size(), got.toString());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(Float.floatToRawIntBits(want.get(i).score()), Float.floatToRawIntBits(got.get(i).score()),
                    "result " + i + ": " + got.get(i));
            assertEquals(want.get(i), got.get(i));
        }
    }

    @Test
    void theKmsRanksThePlantedMaximaFirstBitForBitAsTheLocalDecoder() throws Exception {
        List<RankedScore> got = client.topKOf("scores", scores, 4, null, List.of());
        assertEquals(List.of(new RankedScore((float) TOP, 0, 250), new RankedScore((float) TOP, 2, 7),
                new RankedScore((float) SECOND, 1, 40), new RankedScore((float) SECOND, 1, 41)), got);
        assertBitIdentical(local(4, null, null), got);
        assertArrayEquals(kms.stored("scores").encKeyBytes(), encKeyBin, "encrypted under the downloaded EncKey");
    }

    @Test
    void shardIndicesThresholdAndMaxK() throws Exception {
        List<Long> shards = List.of(70L, 71L, 9L);
        List<RankedScore> sharded = client.topKOf("scores", scores, 2, null, shards);
        assertEquals(List.of(new RankedScore((float) TOP, 70, 250), new RankedScore((float) TOP, 9, 7)), sharded);

        List<RankedScore> above = client.topKOf("scores", scores, MAX_K, 0.75f, List.of());
        assertEquals(4, above.size(), "only the planted scores are >= 0.75: " + above);
        assertBitIdentical(local(MAX_K, 0.75f, null), above);

        List<RankedScore> clamped = client.topKOf("scores", scores, 3 * ITEMS, null, shards);
        assertEquals(MAX_K, clamped.size(), "k is clamped to the server's max_k, not refused");
        assertBitIdentical(local(MAX_K, null, new long[] {70, 71, 9}), clamped);
        assertTrue(clamped.get(MAX_K - 1).score() < 0.5f, "the background follows the planted scores");

        refused(() -> client.topKOf("scores", scores, 1, null, List.of(1L, 2L)), "TopK", "InvalidInput");
    }

    @Test
    void theDefaultDimsEvalKeyDownloadsAsStored() throws Exception {
        ByteArrayOutputStream eval = new ByteArrayOutputStream();
        client.download("scores", KeyFile.EVAL_KEY, eval);
        byte[] stored = Files.readAllBytes(kms.file("scores", "EvalKey.json"));
        assertTrue(stored.length > 1 << 20, "several 1 MiB chunks: " + stored.length);
        assertArrayEquals(stored, eval.toByteArray());
    }

    /** 64 level-0 ciphertexts (262,144 items, 4.2 MB): over gRPC's 4 MiB default, which the KMS raises. */
    @Test
    void aRequestOfSixtyFourCiphertextsIsAnswered() throws Exception {
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            many.add(scores.get(i % scores.size()));
        }
        assertTrue(many.stream().mapToLong(c -> c.length).sum() > 4L << 20);
        List<RankedScore> got = client.topKOf("scores", many, MAX_K, null, List.of());
        assertEquals(List.of(new RankedScore((float) TOP, 0, 250), new RankedScore((float) TOP, 2, 7),
                new RankedScore((float) TOP, 3, 250), new RankedScore((float) TOP, 5, 7),
                new RankedScore((float) TOP, 6, 250), new RankedScore((float) TOP, 8, 7)), got);
    }

    @Test
    void malformedCiphertextsAreInvalidInputThroughTheClient() {
        byte[] good = scores.get(0);
        byte[] wrongTag = good.clone();
        wrongTag[0] = 9;
        byte[] shortOne = new byte[ScoreCiphertexts.HEADER + 8];
        System.arraycopy(good, 0, shortOne, 0, shortOne.length);
        byte[] level2 = ScoreCiphertexts.withHeader(ScoreCiphertexts.size(2, 1), 0, 2, 10, 1, ScoreCiphertexts.N);
        for (byte[] bad : List.of(wrongTag, shortOne, level2, new byte[0])) {
            String m = refused(() -> client.topKOf("scores", List.of(good, bad), 3, null, List.of()), "TopK",
                    "InvalidInput").getMessage();
            assertTrue(m.contains("score ciphertext 1"), m);
        }
    }

    @Test
    void anMmSetRefusesTopK() throws Exception {
        client.generateKey("mm", new KeySpec("ip1", "mm", false, null));
        client.waitForKey("mm", Duration.ofSeconds(600));
        String m = refused(() -> client.topKOf("mm", scores.subList(0, 1), 3, null, List.of()), "TopK", "InvalidInput")
                .getMessage();
        assertTrue(m.contains("TopK for MM sets is not supported"), m);
        assertArrayEquals(new byte[] {0}, Base64.getDecoder().decode(new ObjectMapper().readTree(
                kms.file("mm", "EvalKey.json").toFile()).get("entries").get(0).get("key_data").asText()),
                "an MM set's EvalKey is the one byte 0x00");
    }
}
