package io.evkeygen.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evkeygen.internal.layout.BinData;
import io.evkeygen.internal.layout.EvalKeyContainer;
import io.evkeygen.testutil.FuzzExpectations;
import java.util.List;

/**
 * Fuzzes the EvalKey.bin container reader both ways: in place ({@link EvalKeyContainer#records}) and
 * as it streams past ({@link EvalKeyContainer.Index}, fed in chunks whose size the first byte picks).
 * Both readers must agree on the record names of a container they both accept. Seeds:
 * EvalKeyContainerFuzzTestInputs/container/ (docs/FUZZING.md).
 */
class EvalKeyContainerFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void container(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int chunk = 1 + Byte.toUnsignedInt(input[0]) * 7;
        byte[] data = java.util.Arrays.copyOfRange(input, 1, input.length);
        List<EvalKeyContainer.Record> records = null;
        try (BinData bin = BinData.of(data)) {
            records = EvalKeyContainer.records(bin);
            long end = 0;
            for (EvalKeyContainer.Record r : records) {
                if (r.dataOffset() < end || r.dataLength() < 0 || r.dataOffset() + r.dataLength() > data.length) {
                    throw new AssertionError("record outside the container: " + r);
                }
                end = r.dataOffset() + r.dataLength();
                EvalKeyContainer.rankOf(r.name());
            }
            if (end != data.length) {
                throw new AssertionError("records() accepted trailing bytes");
            }
        } catch (Throwable t) {
            records = null;
            FuzzExpectations.expected(t);
        }
        EvalKeyContainer.Index index = new EvalKeyContainer.Index();
        try {
            for (int off = 0; off < data.length; off += chunk) {
                index.write(data, off, Math.min(chunk, data.length - off));
            }
            index.ranks();
            index.dims();
            index.metadataEvalMode();
            if (records != null && !index.isEmpty()
                    && !index.names().equals(records.stream().map(EvalKeyContainer.Record::name).toList())) {
                throw new AssertionError("Index and records() disagree: " + index.names() + " vs " + records);
            }
        } catch (Throwable t) {
            FuzzExpectations.expected(t);
        }
    }
}
