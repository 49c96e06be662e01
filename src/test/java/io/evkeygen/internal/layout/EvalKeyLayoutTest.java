package io.evkeygen.internal.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.internal.engine.JavaKeyEngine;
import io.evkeygen.internal.engine.KeySetSession;
import io.evkeygen.params.Dimensions;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.params.Presets;
import io.evkeygen.secret.Seed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EvalKeyLayoutTest {
    @Test
    void dimsAreNormalizedOnceIntoTheLayout() {
        EvalKeyLayout layout = EvalKeyLayout.of(Parameters.IP0, EvalMode.RMP, List.of(1024, 32, 1024));
        assertEquals(List.of(32, 1024), layout.dims());
        assertEquals(Dimensions.padRanks(EvalMode.RMP, List.of(32, 1024)),
                layout.ranks().stream().map(EvalKeyLayout.Rank::rank).toList());
        assertEquals(12_845_335L, EvalKeyLayout.of(Parameters.IP0, EvalMode.RMP, List.of()).length());
    }

    @Test
    void mmIsTheSingleByteWithoutRecords() {
        EvalKeyLayout mm = EvalKeyLayout.of(Parameters.IP0, EvalMode.MM, List.of(4096));
        assertEquals(1, mm.length());
        assertEquals(List.of(), mm.ranks());
        assertNull(mm.metadataEval());
        assertTrue(mm.placeholder());
    }

    /** What the Java session writes is what the layout lists: the records, their lengths and the total. */
    @ParameterizedTest
    @EnumSource(value = EvalMode.class, names = {"RMP", "FLAT"})
    void aSessionWritesExactlyTheLayout(EvalMode mode) throws IOException {
        for (Parameters params : List.of(Parameters.IP0, Presets.byName("ip1"))) {
            EvalKeyLayout layout = EvalKeyLayout.of(params, mode, List.of(64, 32, 64));
            byte[] bin = write(params, layout);
            assertEquals(layout.length(), bin.length);
            List<EvalKeyContainer.Record> records = EvalKeyContainer.records(BinData.of(bin));
            assertEquals(layout.ranks().size() + 1, records.size());
            for (int i = 0; i < layout.ranks().size(); i++) {
                assertEquals(layout.ranks().get(i).name(), records.get(i).name());
                assertEquals(layout.ranks().get(i).dataLength(), records.get(i).dataLength());
            }
            EvalKeyContainer.Record meta = records.get(records.size() - 1);
            assertEquals(EvalKeyContainer.METADATA_EVAL_NAME, meta.name());
            byte[] metaBytes = new byte[(int) meta.dataLength()];
            System.arraycopy(bin, (int) meta.dataOffset(), metaBytes, 0, metaBytes.length);
            assertArrayEquals(layout.metadataEval(), metaBytes);
        }
    }

    private static byte[] write(Parameters params, EvalKeyLayout layout) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Seed seed = Seed.of(new byte[64]); KeySetSession s = new JavaKeyEngine().open(params, seed, 2)) {
            s.writeEvalKeyBin(layout, out);
        }
        return out.toByteArray();
    }
}
