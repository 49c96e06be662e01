package io.evkeygen.internal.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.engine.FakeKeyEngine;
import io.evkeygen.internal.engine.KeySetSession;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Seed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalKeyContainerIndexTest {
    private static byte[] evalKey(EvalMode mode, List<Integer> dims) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Seed seed = Seed.of(new byte[64]);
             KeySetSession s = new FakeKeyEngine().open(Parameters.IP0, seed, 1)) {
            s.writeEvalKeyBin(EvalKeyLayout.of(Parameters.IP0, mode, dims), out);
        }
        return out.toByteArray();
    }

    @Test
    void readsRanksAndDimsWhateverTheChunking() throws IOException {
        byte[] bin = evalKey(EvalMode.RMP, List.of(32, 1024, 4096));
        for (int chunk : new int[] {1, 7, 8192, bin.length}) {
            EvalKeyContainer.Index index = new EvalKeyContainer.Index();
            for (int off = 0; off < bin.length; off += chunk) {
                index.write(bin, off, Math.min(chunk, bin.length - off));
            }
            assertFalse(index.isEmpty());
            assertEquals(List.of(32, 64), index.ranks(), "chunk " + chunk);
            assertEquals(List.of(32, 1024, 4096), index.dims());
            assertEquals("RMP", index.metadataEvalMode());
        }
    }

    @Test
    void mmEvalKeyIsEmpty() throws IOException {
        EvalKeyContainer.Index index = new EvalKeyContainer.Index();
        index.write(evalKey(EvalMode.MM, List.of(1024)));
        assertTrue(index.isEmpty());
        assertEquals(List.of(), index.ranks());
        assertEquals(List.of(), index.dims());
    }

    @Test
    void garbageIsAnInvalidKey() {
        KeygenException e = assertThrows(KeygenException.class, () -> new EvalKeyContainer.Index().write(new byte[] {'X', 1}));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
    }

    /** The index holds metadata-eval.json in memory: a record claiming more than 1 MB is refused up front. */
    @Test
    void refusesAnOversizedMetadataRecordBeforeHoldingIt() throws IOException {
        byte[] header = EvalKeyContainer.recordHeader(EvalKeyContainer.METADATA_EVAL_NAME, 512L << 20);
        EvalKeyContainer.Index index = new EvalKeyContainer.Index();
        KeygenException e = assertThrows(KeygenException.class, () -> index.write(header, 0, header.length));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        // a large EVIKeys record is still fine (FLAT keys are hundreds of MB)
        byte[] evi = EvalKeyContainer.recordHeader(EvalKeyContainer.eviKeysName(5), 512L << 20);
        new EvalKeyContainer.Index().write(evi, 0, evi.length);
    }
}
