package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.evkeygen.params.EvalMode;
import io.evkeygen.testutil.SharedVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference library's decryptions (../shared/vectors/scores) reproduced bit for bit, each file at
 * the pad rank, scale and level its .txt header names, with the fixtures' own SecKey.json (unsealed,
 * key id test-key, RMP dims [32]) loaded through the SDK. Skips, saying so, without ../shared.
 */
class ScoreFixturesTest {
    private static final Pattern HEADER = Pattern.compile("# pad_rank=(\\d+) scale=2\\^(\\d+) level=(\\d)");
    /** The planted vector's top 5 (README of the fixtures): the maximum, a tie in index order, then two. */
    private static final long[] PLANTED_TOP5 = {7, 1500, 3000, 4095, 2579};

    @TempDir
    Path keys;

    private ScoreDecryptor decryptor(String preset) throws IOException {
        Path dir = keys.resolve(preset).resolve("test-key"); // a local store per preset
        Files.createDirectories(dir);
        Files.copy(fixtures(preset).resolve("SecKey.json"), dir.resolve("SecKey.json"), StandardCopyOption.REPLACE_EXISTING);
        return ScoreDecryptor.open(KeyStores.local(keys.resolve(preset)), "test-key", null, EvalMode.RMP, List.of(32));
    }

    private static Path fixtures(String preset) {
        Path dir = SharedVectors.vector("scores").resolve(preset);
        assumeTrue(Files.isDirectory(dir), dir + " is absent: skipping the score fixtures");
        return dir;
    }

    private static List<Path> withDecryption(String preset) throws IOException {
        try (Stream<Path> s = Files.list(fixtures(preset))) {
            return s.filter(p -> p.toString().endsWith(".bin"))
                    .filter(p -> Files.exists(txt(p))).sorted().toList();
        }
    }

    private static Path txt(Path bin) {
        return bin.resolveSibling(bin.getFileName().toString().replace(".bin", ".txt"));
    }

    @Test
    void everyFixtureDecryptsBitForBitAtItsHeadersPadRankAndScale() throws IOException {
        int files = 0;
        for (String preset : List.of("ip0", "ip1")) {
            try (ScoreDecryptor d = decryptor(preset)) {
                for (Path bin : withDecryption(preset)) {
                    List<String> lines = Files.readAllLines(txt(bin));
                    Matcher h = HEADER.matcher(lines.get(0));
                    assertTrue(h.matches(), bin + ": header " + lines.get(0));
                    byte[] data = Files.readAllBytes(bin);
                    assertEquals(Integer.parseInt(h.group(3)), data[5], bin + ": level in the data");
                    float[] got = d.decrypt(data, Integer.parseInt(h.group(1)), Math.pow(2, Integer.parseInt(h.group(2))));
                    assertEquals(lines.size() - 1, got.length, bin + ": n");
                    for (int j = 0; j < got.length; j++) {
                        int want = Float.floatToRawIntBits(Float.parseFloat(lines.get(j + 1)));
                        if (want != Float.floatToRawIntBits(got[j])) {
                            throw new AssertionError(bin.getFileName() + " item " + j + ": expected " + lines.get(j + 1)
                                    + ", got " + got[j]);
                        }
                    }
                    files++;
                }
            }
        }
        assertEquals(6, files, "fixtures with a decryption: IP0 L0/L1 RMP32, L0 RMP4096, L1 FLAT128; IP1 L1 RMP1024, L0 FLAT128");
    }

    @Test
    void theTwoBlockFileHas5000ScoresWithItsMaximumAtRow123OfBlock1() throws IOException {
        byte[] data = Files.readAllBytes(fixtures("ip0").resolve("score-IP0-L0-FLAT128-n5000.bin"));
        try (ScoreDecryptor d = decryptor("ip0")) {
            float[] s = d.decrypt(data, 128, d.defaultScale());
            assertEquals(5000, s.length);
            int max = 0;
            for (int j = 1; j < s.length; j++) {
                max = s[j] > s[max] ? j : max;
            }
            assertEquals(4096 + 123, max);
        }
    }

    @Test
    void thePlantedTop5ComesOutOfTopKWithTheTieInItemOrder() throws IOException {
        // the files TopK can meet: pad rank 32 (the key's dims [32]) at the default scale
        for (String[] f : new String[][] {{"ip0", "score-IP0-L0-RMP32.bin"}, {"ip0", "score-IP0-L1-RMP32.bin"},
                {"ip1", "score-IP1-L1-RMP1024.bin"}}) {
            byte[] data = Files.readAllBytes(fixtures(f[0]).resolve(f[1]));
            try (ScoreDecryptor d = decryptor(f[0])) {
                List<RankedScore> top = d.topK(List.of(data), 5, null, null);
                assertArrayEquals(PLANTED_TOP5, top.stream().mapToLong(RankedScore::rowIdx).toArray(), f[1]);
                assertEquals(0.99f, top.get(0).score(), 1e-6f, f[1]);
                assertEquals(top.get(1).score(), top.get(2).score(), f[1] + ": the tie decrypts equal");
                assertTrue(top.stream().allMatch(r -> r.shardIdx() == 0), f[1]);
            }
        }
    }

    @Test
    void equalScoresInTwoCiphertextsRankByCiphertextThenItemWithTheirShardIndices() throws IOException {
        byte[] data = Files.readAllBytes(fixtures("ip0").resolve("score-IP0-L0-RMP32.bin"));
        try (ScoreDecryptor d = decryptor("ip0")) {
            List<RankedScore> top = d.topK(List.of(data, data), 5, null, new long[] {40, 30});
            List<long[]> got = new ArrayList<>();
            top.forEach(r -> got.add(new long[] {r.shardIdx(), r.rowIdx()}));
            long[][] want = {{40, 7}, {30, 7}, {40, 1500}, {40, 3000}, {30, 1500}};
            assertArrayEquals(want, got.toArray(new long[0][]));
            List<RankedScore> above = d.topK(List.of(data, data), 100, 0.97f, null);
            assertEquals(6, above.size(), "threshold keeps >= 0.97: 7, 1500, 3000 of each ciphertext");
            assertTrue(above.stream().allMatch(r -> r.score() >= 0.97f));
        }
    }
}
