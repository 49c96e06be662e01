package io.evkeygen.kms.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How many worker threads a KMS generation gets, by the sets running beside it. */
class GenerationsThreadsTest {
    @Test
    void aLoneSetUsesEveryCore() {
        assertEquals(2, Generations.threadsPerSet(2, 1));
        assertEquals(16, Generations.threadsPerSet(16, 1));
    }

    @Test
    void setsShareTheCoresAndEachKeepsOne() {
        assertEquals(8, Generations.threadsPerSet(16, 2));
        assertEquals(5, Generations.threadsPerSet(16, 3));
        assertEquals(1, Generations.threadsPerSet(2, 2));
        assertEquals(1, Generations.threadsPerSet(2, 4));
        assertEquals(1, Generations.threadsPerSet(1, 1));
    }

    @Test
    void aCountBelowOneCountsAsOne() {
        assertEquals(4, Generations.threadsPerSet(4, 0));
    }
}
