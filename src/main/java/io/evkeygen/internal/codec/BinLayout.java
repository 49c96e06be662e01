package io.evkeygen.internal.codec;

import io.evkeygen.params.Dimensions;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Sizes and fixed parts of the {@code .bin} layouts of spec sections 3-5. */
public final class BinLayout {
    public static final byte TAG_SECKEY = 0x01;
    public static final byte TAG_ENCKEY = 0x02;
    public static final byte TAG_EVIKEYS = 0x03;
    public static final byte RECORD_MARK = 'F';
    /** The 5-byte header: tag, preset name (3 ASCII bytes), 0x00. */
    public static final int HEADER_LENGTH = 5;

    private BinLayout() {}

    /** {@code tag | preset | 0x00}, e.g. {@code 01 'I' 'P' '0' 00}. */
    public static byte[] header(byte tag, Parameters params) {
        byte[] name = params.preset().getBytes(StandardCharsets.US_ASCII);
        byte[] h = new byte[name.length + 2];
        h[0] = tag;
        System.arraycopy(name, 0, h, 1, name.length);
        return h;
    }

    public static long polyBytes(Parameters params) {
        return 8L * params.n();
    }

    public static long secKeyLength(Parameters params) {
        return header(TAG_SECKEY, params).length + params.n() / 4;
    }

    public static long encKeyLength(Parameters params) {
        return header(TAG_ENCKEY, params).length + 4 * polyBytes(params);
    }

    /** Length of {@code EVIKeys<r>.bin}: one tag byte then 4 + 4r polynomials. */
    public static long eviKeysLength(Parameters params, int rank) {
        return 1 + (4L + 4L * rank) * polyBytes(params);
    }

    public static String eviKeysName(int rank) {
        return "EVIKeys" + rank + ".bin";
    }

    public static final String METADATA_EVAL_NAME = "metadata-eval.json";

    /** metadata-eval.json exactly as the reference writes it (4-space indent, final newline). */
    public static byte[] metadataEval(EvalMode mode, List<Integer> dims, Parameters params) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n    \"EvalMode\": \"").append(mode.name()).append("\",\n");
        sb.append("    \"ParameterPreset\": \"").append(params.preset()).append("\",\n");
        sb.append("    \"Ranks\": [\n");
        List<Integer> sorted = Dimensions.normalize(dims);
        for (int i = 0; i < sorted.size(); i++) {
            sb.append("        ").append(sorted.get(i)).append(i + 1 < sorted.size() ? ",\n" : "\n");
        }
        sb.append("    ]\n}\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Length of one container record {@code 'F' | u64 | name | u64 | data}. */
    public static long recordLength(String name, long dataLength) {
        return 1 + 8 + name.length() + 8 + dataLength;
    }

    /** Total EvalKey.bin length for a mode and dims (1 for MM). */
    public static long evalKeyLength(Parameters params, EvalMode mode, List<Integer> dims) {
        if (mode == EvalMode.MM) {
            return 1;
        }
        long total = 0;
        for (int r : Dimensions.padRanks(mode, dims)) {
            total += recordLength(eviKeysName(r), eviKeysLength(params, r));
        }
        return total + recordLength(METADATA_EVAL_NAME, metadataEval(mode, dims, params).length);
    }
}
