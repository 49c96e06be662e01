package io.evkeygen.internal.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evkeygen.error.KeygenException;
import io.evkeygen.params.EvalMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pad rank comes from the header's dim when the set has it, else from the one rank the dims share; never a guess. */
class PadRanksTest {

    private static String refusal(PadRanks r, long dim) {
        KeygenException e = assertThrows(KeygenException.class, () -> r.of(dim, "score ciphertext 4: "));
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        return e.getMessage();
    }

    @Test
    void rmpDimsUpTo2048ShareRank32() {
        PadRanks r = new PadRanks(EvalMode.RMP, List.of(32, 64, 128, 256, 512, 1024, 2048));
        assertEquals(32, r.of(1, ""));
        assertEquals(32, r.of(2048, ""));
        assertEquals(32, r.of(4096, ""), "4096 is not a dim of this set: the shared rank");
        assertEquals(64, new PadRanks(EvalMode.RMP, List.of(4096)).of(1, ""));
    }

    @Test
    void theHeadersDimDecidesWhenItIsOneOfTheSets() {
        PadRanks r = new PadRanks(EvalMode.RMP, List.of(32, 4096));
        assertEquals(32, r.of(32, ""));
        assertEquals(64, r.of(4096, ""));
        assertEquals("score ciphertext 4: the header's dim 1 is not one of the set's RMP dims [32, 4096], and dims"
                + " with pad ranks 32 and 64: generate with one dim", refusal(r, 1));
        assertEquals("score ciphertext 4: the header's dim 18446744073709551615 is not one of the set's RMP dims"
                + " [32, 4096], and dims with pad ranks 32 and 64: generate with one dim", refusal(r, -1));
    }

    @Test
    void flatRanksAreTheDims() {
        assertEquals(128, new PadRanks(EvalMode.FLAT, List.of(128)).of(1, ""));
        PadRanks r = new PadRanks(EvalMode.FLAT, List.of(128, 256, 512));
        assertEquals(256, r.of(256, ""));
        assertEquals("score ciphertext 4: the header's dim 1 is not one of the set's FLAT dims [128, 256, 512], and"
                + " dims with pad ranks 128, 256 and 512: generate with one dim", refusal(r, 1));
    }

    @Test
    void mmAndSetsWithoutDimsAreRefused() {
        assertEquals("score ciphertext 4: TopK for MM sets is not supported", refusal(new PadRanks(EvalMode.MM, List.of()), 1));
        assertEquals("score ciphertext 4: the key set names no dims, so no pad rank decodes its scores",
                refusal(new PadRanks(EvalMode.RMP, List.of()), 1));
    }
}
