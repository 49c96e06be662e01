package io.evkeygen.internal.layout;

import io.evkeygen.params.Dimensions;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What EvalKey.bin holds for a mode and dims (spec section 5), computed once: the {@code EVIKeys<r>.bin}
 * records in order with their lengths, metadata-eval.json, and the total length. The session writes
 * these records and the envelope writer expects this length, so both read the one layout.
 */
public final class EvalKeyLayout {
    /** One {@code EVIKeys<rank>.bin} record: its name and data length (tag byte and polynomials). */
    public record Rank(int rank, String name, long dataLength) {}

    private final Parameters params;
    private final EvalMode mode;
    private final List<Integer> dims;
    private final List<Rank> ranks;
    private final byte[] metadataEval;
    private final long length;

    private EvalKeyLayout(Parameters params, EvalMode mode, List<Integer> dims, List<Rank> ranks, byte[] metadataEval,
                          long length) {
        this.params = params;
        this.mode = mode;
        this.dims = dims;
        this.ranks = ranks;
        this.metadataEval = metadataEval;
        this.length = length;
    }

    /** The layout for {@code dims} (validated, sorted and made unique here; empty: the default list). */
    public static EvalKeyLayout of(Parameters params, EvalMode mode, List<Integer> dims) {
        List<Integer> normalized = Dimensions.normalize(dims);
        if (mode == EvalMode.MM) {
            return new EvalKeyLayout(params, mode, normalized, List.of(), null, 1);
        }
        List<Rank> ranks = new ArrayList<>();
        long total = 0;
        for (int r : Dimensions.padRanks(mode, normalized)) {
            Rank rank = new Rank(r, EvalKeyContainer.eviKeysName(r), BinLayout.eviKeysLength(params, r));
            ranks.add(rank);
            total += EvalKeyContainer.recordLength(rank.name(), rank.dataLength());
        }
        byte[] meta = metadataEval(mode, normalized, params);
        total += EvalKeyContainer.recordLength(EvalKeyContainer.METADATA_EVAL_NAME, meta.length);
        return new EvalKeyLayout(params, mode, normalized, List.copyOf(ranks), meta, total);
    }

    /** metadata-eval.json exactly as the reference writes it (4-space indent, final newline). */
    private static byte[] metadataEval(EvalMode mode, List<Integer> sortedDims, Parameters params) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n    \"EvalMode\": \"").append(mode.name()).append("\",\n");
        sb.append("    \"ParameterPreset\": \"").append(params.preset()).append("\",\n");
        sb.append("    \"Ranks\": [\n");
        for (int i = 0; i < sortedDims.size(); i++) {
            sb.append("        ").append(sortedDims.get(i)).append(i + 1 < sortedDims.size() ? ",\n" : "\n");
        }
        sb.append("    ]\n}\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The parameters the record lengths are computed for. */
    public Parameters parameters() {
        return params;
    }

    public EvalMode mode() {
        return mode;
    }

    /** The dims, sorted and unique. */
    public List<Integer> dims() {
        return dims;
    }

    /** True for MM: EvalKey.bin is the single byte 0x00, no records. */
    public boolean placeholder() {
        return metadataEval == null;
    }

    /** The {@code EVIKeys} records in container order (empty for MM, whose EvalKey.bin is the byte 0x00). */
    public List<Rank> ranks() {
        return ranks;
    }

    /** metadata-eval.json, the last record (a copy; null for MM). */
    public byte[] metadataEval() {
        return metadataEval == null ? null : metadataEval.clone();
    }

    /** Total EvalKey.bin length. */
    public long length() {
        return length;
    }
}
