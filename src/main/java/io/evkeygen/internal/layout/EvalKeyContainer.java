package io.evkeygen.internal.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.error.KeygenException;
import io.evkeygen.params.Dimensions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The EvalKey.bin container of spec section 5, in one place: records {@code 'F' | u64 name length |
 * name | u64 data length | data}, one {@code EVIKeys<r>.bin} per pad rank, then
 * {@code metadata-eval.json}; for MM the single byte 0x00. Writes record headers (what records a
 * mode and dims need is {@link EvalKeyLayout}), and reads a container either in place ({@link #records}) or as it streams past
 * ({@link Index}), both with the same header rules.
 */
public final class EvalKeyContainer {
    public static final byte RECORD_MARK = 'F';
    public static final String METADATA_EVAL_NAME = "metadata-eval.json";
    private static final String EVI_PREFIX = "EVIKeys";
    private static final String EVI_SUFFIX = ".bin";
    private static final int MAX_NAME = 256;
    /** No record of any preset comes near 2^40 bytes: a larger length is a corrupt header. */
    private static final long MAX_DATA = 1L << 40;
    /** metadata-eval.json is a few hundred bytes; the index holds it, so a larger one is refused. */
    static final long MAX_METADATA_EVAL = 1L << 20;

    /** Jackson's databind (hundreds of classes) loads only when a container is read, not on every generation. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** One record: its name and where its data lies. */
    public record Record(String name, long dataOffset, long dataLength) {}

    /** What metadata-eval.json declares. */
    public record MetadataEval(String evalMode, String preset, List<Integer> dims) {}

    private EvalKeyContainer() {}

    // ---- names and sizes ------------------------------------------------------------------------

    public static String eviKeysName(int rank) {
        return EVI_PREFIX + rank + EVI_SUFFIX;
    }

    /** The pad rank of an {@code EVIKeys<r>.bin} record, or -1 for any other name. */
    public static int rankOf(String name) {
        if (!name.startsWith(EVI_PREFIX) || !name.endsWith(EVI_SUFFIX)) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(EVI_PREFIX.length(), name.length() - EVI_SUFFIX.length()));
        } catch (NumberFormatException e) {
            throw KeygenException.invalidKey("EvalKey.bin: bad record name " + name);
        }
    }

    /** Length of one record {@code 'F' | u64 | name | u64 | data}. */
    public static long recordLength(String name, long dataLength) {
        return 1 + 8 + name.length() + 8 + dataLength;
    }

    // ---- writing --------------------------------------------------------------------------------

    /** The header bytes that precede a record's data. */
    public static byte[] recordHeader(String name, long dataLength) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        byte[] h = new byte[17 + nameBytes.length];
        h[0] = RECORD_MARK;
        putU64(h, 1, nameBytes.length);
        System.arraycopy(nameBytes, 0, h, 9, nameBytes.length);
        putU64(h, 9 + nameBytes.length, dataLength);
        return h;
    }

    // ---- reading --------------------------------------------------------------------------------

    /** True for the MM placeholder: key data of the single byte 0x00. */
    public static boolean isEmptyPlaceholder(BinData bin) throws IOException {
        return bin.length() == 1 && bin.readByte(0) == 0;
    }

    /** Lists the records of a container held in place, checking marks and lengths; refuses trailing bytes. */
    public static List<Record> records(BinData bin) throws IOException {
        List<Record> out = new ArrayList<>();
        long pos = 0;
        long end = bin.length();
        while (pos < end) {
            if (end - pos < 17 || bin.readByte(pos) != RECORD_MARK) {
                throw KeygenException.invalidKey("EvalKey.bin: bad record header at byte " + pos);
            }
            long nameLen = checkNameLength(bin.readU64(pos + 1), pos);
            if (pos + 17 + nameLen > end) {
                throw KeygenException.invalidKey("EvalKey.bin: bad record name length at byte " + pos);
            }
            String name = new String(bin.readBytes(pos + 9, (int) nameLen), StandardCharsets.US_ASCII);
            long dataLen = bin.readU64(pos + 9 + nameLen);
            long dataOffset = pos + 17 + nameLen;
            if (dataLen < 0 || dataLen > end - dataOffset) {
                throw KeygenException.invalidKey("EvalKey.bin: record " + name + " runs past the end");
            }
            out.add(new Record(name, dataOffset, dataLen));
            pos = dataOffset + dataLen;
        }
        return out;
    }

    /** Parses metadata-eval.json (the dims sorted and checked as dims). */
    public static MetadataEval parseMetadataEval(byte[] json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            List<Integer> dims = new ArrayList<>();
            for (JsonNode d : node.path("Ranks")) {
                dims.add(d.asInt());
            }
            return new MetadataEval(node.path("EvalMode").asText(null), node.path("ParameterPreset").asText(null),
                    dims.isEmpty() ? List.of() : Dimensions.normalize(dims));
        } catch (IOException e) {
            throw KeygenException.invalidKey("EvalKey.bin: metadata-eval.json is not valid JSON");
        } catch (KeygenException e) {
            throw KeygenException.invalidKey("EvalKey.bin: metadata-eval.json: " + e.getMessage());
        }
    }

    private static long checkNameLength(long nameLen, long at) {
        if (nameLen <= 0 || nameLen > MAX_NAME) {
            throw KeygenException.invalidKey("EvalKey.bin: bad record name length at byte " + at);
        }
        return nameLen;
    }

    private static void putU64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /**
     * Reads the table of contents as the container streams past: record names, hence pad ranks, and
     * metadata-eval.json. Holds only that small record, never the key data, so inspecting a 0.5 GB
     * FLAT key is cheap.
     */
    public static final class Index extends OutputStream {
        private final List<String> names = new ArrayList<>();
        private final byte[] u64 = new byte[8];
        private ByteArrayOutputStream capture = new ByteArrayOutputStream();
        private byte[] metadataEval;
        private long total;
        private long recordStart;
        private int state; // 0 mark, 1 name length, 2 name, 3 data length, 4 data
        private long remaining;
        private int u64Filled;
        private boolean empty;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int end = off + len;
            int i = off;
            while (i < end) {
                if (total == 0 && i == off && b[i] == 0 && state == 0) {
                    empty = true; // MM: the single byte 0x00, "no evaluation key"
                }
                if (empty) {
                    total += end - i;
                    return;
                }
                switch (state) {
                    case 0 -> {
                        if (b[i] != RECORD_MARK) {
                            throw KeygenException.invalidKey("EvalKey.bin: bad record header at byte " + total);
                        }
                        recordStart = total;
                        i++;
                        total++;
                        state = 1;
                    }
                    case 1, 3 -> {
                        u64[u64Filled++] = b[i++];
                        total++;
                        if (u64Filled == 8) {
                            u64Filled = 0;
                            remaining = readU64();
                            capture = new ByteArrayOutputStream();
                            state++;
                            if (remaining == 0) {
                                finishField();
                            }
                        }
                    }
                    default -> {
                        int n = (int) Math.min(remaining, end - i);
                        if (state == 2 || isMetadataRecord()) {
                            capture.write(b, i, n);
                        }
                        i += n;
                        total += n;
                        remaining -= n;
                        if (remaining == 0) {
                            finishField();
                        }
                    }
                }
            }
        }

        private boolean isMetadataRecord() {
            return !names.isEmpty() && names.get(names.size() - 1).equals(METADATA_EVAL_NAME);
        }

        private void finishField() {
            if (state == 2) {
                names.add(capture.toString(StandardCharsets.US_ASCII));
                state = 3;
            } else {
                if (isMetadataRecord()) {
                    metadataEval = capture.toByteArray();
                }
                state = 0;
            }
            capture = new ByteArrayOutputStream();
        }

        private long readU64() {
            long v = 0;
            for (int k = 7; k >= 0; k--) {
                v = (v << 8) | (u64[k] & 0xff);
            }
            if (state == 1) {
                return checkNameLength(v, recordStart);
            }
            if (v < 0 || v > MAX_DATA || (isMetadataRecord() && v > MAX_METADATA_EVAL)) {
                throw KeygenException.invalidKey("EvalKey.bin: implausible record length at byte " + recordStart);
            }
            return v;
        }

        /** True for the one-byte MM EvalKey. */
        public boolean isEmpty() {
            return empty;
        }

        /** Record names in order. */
        public List<String> names() {
            return Collections.unmodifiableList(names);
        }

        /** Pad ranks of the EVIKeys records, in order. */
        public List<Integer> ranks() {
            List<Integer> ranks = new ArrayList<>();
            for (String n : names) {
                int r = rankOf(n);
                if (r >= 0) {
                    ranks.add(r);
                }
            }
            return ranks;
        }

        /** {@code Ranks} of metadata-eval.json (the dims), empty for MM or when absent. */
        public List<Integer> dims() {
            return metadataEval == null ? List.of() : parseMetadataEval(metadataEval).dims();
        }

        /** {@code EvalMode} of metadata-eval.json, or null. */
        public String metadataEvalMode() {
            return metadataEval == null ? null : parseMetadataEval(metadataEval).evalMode();
        }
    }
}
