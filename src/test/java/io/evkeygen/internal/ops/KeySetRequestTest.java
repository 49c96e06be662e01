package io.evkeygen.internal.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.engine.FakeKeyEngine;
import io.evkeygen.internal.engine.KeyEngine;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class KeySetRequestTest {
    private static KeySetRequest request(List<Integer> dims, int threads, Supplier<KeyEngine> engine) {
        return new KeySetRequest(Parameters.IP0, EvalMode.RMP, dims, "demo", true, engine, threads, Requester.DEFAULT,
                null, null, null);
    }

    @Test
    void validatedOnceIntoTheLayout() {
        KeySetRequest r = request(List.of(1024, 32, 32), 2, FakeKeyEngine::new);
        assertEquals(List.of(32, 1024), r.dims());
        assertEquals(r.evalKey().dims(), r.dims());
        assertEquals(EvalMode.RMP, r.evalKey().mode());
    }

    @Test
    void noBackendLoadsForAnInvalidRequest() {
        Supplier<KeyEngine> mustNotLoad = () -> fail("the engine was asked for before the request was valid");
        for (Runnable bad : List.<Runnable>of(() -> request(List.of(48), 1, mustNotLoad),
                () -> request(List.of(32), 0, mustNotLoad),
                () -> request(List.of(32), KeySetRequest.MAX_THREADS + 1, mustNotLoad))) {
            assertEquals(KeygenException.Kind.USAGE, assertThrows(KeygenException.class, bad::run).kind());
        }
    }
}
