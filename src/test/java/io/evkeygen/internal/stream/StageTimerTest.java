package io.evkeygen.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-stage timeline is a listener the benchmark installs (bench/TimelineBench), not a recorder
 * in the product: whoever listens hears each stage of a pipeline once, and nobody hears anything after.
 */
class StageTimerTest {
    private final List<String> heard = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopListening() {
        StageTimer.listen(null);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aListenerHearsEachStageOnceWithItsBusyTime(boolean parallel) throws IOException {
        StageTimer.listen((thread, stage, start, end, busy) -> {
            assertTrue(start <= end && busy >= 0 && busy <= end - start, stage + ": " + start + ".." + end + ", busy " + busy);
            heard.add(stage);
        });
        run(parallel);
        StageTimer.record("after", System.nanoTime());
        Collections.sort(heard);
        assertEquals(List.of("a", "after", "b"), heard);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nobodyHearsAnythingOnceTheListenerStops(boolean parallel) throws IOException {
        StageTimer.listen((thread, stage, start, end, busy) -> heard.add(stage));
        StageTimer.listen(null);
        run(parallel);
        StageTimer.record("after", System.nanoTime());
        assertEquals(List.of(), heard);
    }

    private static void run(boolean parallel) throws IOException {
        try (ChunkPipeline pipe = ChunkPipeline.of(parallel, 64, 2, List.of(
                ChunkPipeline.Stage.named("a", (c, n) -> { }), ChunkPipeline.Stage.named("b", (c, n) -> { })))) {
            pipe.write(new byte[1000]);
        }
    }
}
