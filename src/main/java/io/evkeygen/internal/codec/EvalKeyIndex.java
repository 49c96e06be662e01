package io.evkeygen.internal.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.keyset.KeygenException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads the table of contents of an EvalKey.bin container as it streams past (spec section 5):
 * record names, hence pad ranks, and the dims from metadata-eval.json. Holds only that small
 * record, never the key data, so inspecting a 0.5 GB FLAT key is cheap.
 */
public final class EvalKeyIndex extends OutputStream {
    private final List<String> names = new ArrayList<>();
    private final byte[] u64 = new byte[8];
    private ByteArrayOutputStream capture = new ByteArrayOutputStream();
    private byte[] metadataEval;
    private long total;
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
                    if (b[i] != BinLayout.RECORD_MARK) {
                        throw KeygenException.invalidKey("EvalKey.bin: expected record mark 'F' at byte " + total);
                    }
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
        return !names.isEmpty() && names.get(names.size() - 1).equals(BinLayout.METADATA_EVAL_NAME);
    }

    private void finishField() {
        if (state == 2) {
            names.add(capture.toString(java.nio.charset.StandardCharsets.UTF_8));
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
        if (v < 0 || v > (1L << 40)) {
            throw KeygenException.invalidKey("EvalKey.bin: implausible record length at byte " + total);
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

    /** Pad ranks of the EVIKeys records, increasing. */
    public List<Integer> ranks() {
        List<Integer> ranks = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith("EVIKeys") && n.endsWith(".bin")) {
                try {
                    ranks.add(Integer.parseInt(n.substring(7, n.length() - 4)));
                } catch (NumberFormatException e) {
                    throw KeygenException.invalidKey("EvalKey.bin: bad record name " + n);
                }
            }
        }
        return ranks;
    }

    /** {@code Ranks} of metadata-eval.json (the dims), empty for MM or when absent. */
    public List<Integer> dims() {
        List<Integer> dims = new ArrayList<>();
        if (metadataEval == null) {
            return dims;
        }
        try {
            JsonNode ranks = new ObjectMapper().readTree(metadataEval).path("Ranks");
            ranks.forEach(n -> dims.add(n.asInt()));
        } catch (IOException e) {
            throw KeygenException.invalidKey("EvalKey.bin: metadata-eval.json is not valid JSON");
        }
        return dims;
    }

    /** {@code EvalMode} of metadata-eval.json, or null. */
    public String metadataEvalMode() {
        if (metadataEval == null) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(metadataEval).path("EvalMode").asText(null);
        } catch (IOException e) {
            throw KeygenException.invalidKey("EvalKey.bin: metadata-eval.json is not valid JSON");
        }
    }
}
