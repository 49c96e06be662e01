package io.evkeygen.internal.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkPipelineTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    /** Writes data in random-sized pieces, single bytes included. */
    private static void writeInPieces(ChunkPipeline pipe, byte[] data, long seed) throws IOException {
        Random r = new Random(seed);
        int off = 0;
        while (off < data.length) {
            if (r.nextInt(8) == 0) {
                pipe.write(data[off++]);
                continue;
            }
            int len = Math.min(data.length - off, r.nextInt(40));
            pipe.write(data, off, len);
            off += len;
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyStageSeesEveryByteInOrderAndMemoryStaysAtDepthChunks(boolean parallel) {
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int size : new int[] {0, 1, 6, 7, 8, 1000, 12_345}) {
                byte[] data = random(size, size);
                ByteArrayOutputStream a = new ByteArrayOutputStream();
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                Set<byte[]> chunksSeen = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
                ChunkPipeline pipe = ChunkPipeline.of(parallel, 7, 3, List.of(
                        (c, n) -> {
                            chunksSeen.add(c);
                            a.write(c, 0, n);
                        },
                        (c, n) -> {
                            Thread.yield(); // a slower stage: the producer must wait for it, not overtake it
                            b.write(c, 0, n);
                        }));
                writeInPieces(pipe, data, size);
                pipe.close();
                pipe.close(); // idempotent
                assertArrayEquals(data, a.toByteArray(), "stage 1, " + size + " bytes");
                assertArrayEquals(data, b.toByteArray(), "stage 2, " + size + " bytes");
                assertEquals(size, pipe.count());
                assertTrue(chunksSeen.size() <= (parallel ? 3 : 1), chunksSeen.size() + " chunk buffers in use");
            }
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nativeBuffersGoStraightIntoTheChunks(boolean parallel) {
        assertTimeoutPreemptively(LIMIT, () -> {
            byte[] data = random(5000, 7);
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            ChunkPipeline pipe = ChunkPipeline.of(parallel, 64, 3, List.of((c, n) -> seen.write(c, 0, n)));
            java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(data.length);
            direct.put(data).flip();
            direct.limit(3000);
            pipe.write(direct);
            pipe.write(data, 3000, 1000);
            direct.limit(5000).position(4000);
            new ProgressStream(pipe, 5000, (done, total) -> { }).write(direct);
            pipe.close();
            assertEquals(0, direct.remaining());
            assertEquals(5000, pipe.count());
            assertArrayEquals(data, seen.toByteArray());
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFailingStageFailsTheProducerWithItsOwnError(boolean parallel) {
        assertTimeoutPreemptively(LIMIT, () -> {
            IOException boom = new IOException("disk full");
            List<Integer> afterFailure = Collections.synchronizedList(new ArrayList<>());
            int[] calls = {0};
            ChunkPipeline pipe = ChunkPipeline.of(parallel, 16, 2, List.of(
                    (c, n) -> {
                        if (++calls[0] == 3) {
                            throw boom;
                        }
                    },
                    (c, n) -> afterFailure.add(n)));
            IOException thrown = assertThrows(IOException.class, () -> {
                try {
                    writeInPieces(pipe, random(100_000, 1), 1);
                    pipe.close();
                } finally {
                    pipe.abort();
                }
            });
            assertSame(boom, thrown);
            assertTrue(afterFailure.size() < 100_000 / 16, "the producer stopped early");
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRuntimeFailureKeepsItsType(boolean parallel) {
        assertTimeoutPreemptively(LIMIT, () -> {
            ChunkPipeline pipe = ChunkPipeline.of(parallel, 16, 2, List.of((c, n) -> {
                throw new IllegalStateException("engine bug");
            }));
            assertThrows(IllegalStateException.class, () -> {
                pipe.write(new byte[64]);
                pipe.close();
            });
            pipe.abort();
        });
    }

    @org.junit.jupiter.api.Test
    void abortReleasesAStageThatIsStillWorking() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        ChunkPipeline pipe = ChunkPipeline.of(true, 4, 2, List.of((c, n) -> {
            entered.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                released.countDown();
                Thread.currentThread().interrupt();
            }
        }));
        pipe.write(new byte[4]);
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        pipe.abort(); // the producer failed: the stage must not go on for a minute
        assertTrue(released.await(10, TimeUnit.SECONDS), "stage interrupted");
        assertThrows(IOException.class, () -> pipe.write(1));
    }

    /**
     * Sized by the expected length: a stream that fits one chunk stays on the caller's thread, and
     * any stream, longer or shorter than announced, reaches every stage whole and in order.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sizedForTheExpectedLengthWhateverTheActualLength(boolean parallel) {
        assertTimeoutPreemptively(LIMIT, () -> {
            int chunk = ChunkPipeline.CHUNK;
            long[][] cases = {{856, 856}, {856, 5000}, {5000, 856}, {chunk, chunk}, {chunk + 1, chunk + 1},
                {3L * chunk + 5, chunk / 2}, {chunk / 2, 3L * chunk + 5}, {20L * chunk, 20L * chunk}};
            for (long[] c : cases) {
                byte[] data = random((int) c[1], c[0] ^ c[1]);
                ByteArrayOutputStream a = new ByteArrayOutputStream();
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                Set<Thread> threads = Collections.synchronizedSet(new java.util.HashSet<>());
                ChunkPipeline pipe = ChunkPipeline.of(parallel, c[0], List.of(
                        (x, n) -> {
                            threads.add(Thread.currentThread());
                            a.write(x, 0, n);
                        },
                        (x, n) -> b.write(x, 0, n)));
                int off = 0;
                Random r = new Random(c[1]);
                while (off < data.length) {
                    int n = Math.min(data.length - off, 1 + r.nextInt(100_000));
                    pipe.write(data, off, n);
                    off += n;
                }
                pipe.close();
                assertArrayEquals(data, a.toByteArray(), "expected " + c[0] + ", wrote " + c[1]);
                assertArrayEquals(data, b.toByteArray());
                if (c[0] <= chunk || !parallel) {
                    assertEquals(Set.of(Thread.currentThread()), threads, "expected " + c[0]);
                } else if (data.length > 0) {
                    assertTrue(!threads.contains(Thread.currentThread()), "stages on threads of their own");
                }
            }
        });
    }
}
