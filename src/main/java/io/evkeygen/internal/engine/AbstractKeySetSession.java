package io.evkeygen.internal.engine;

import io.evkeygen.internal.layout.BinLayout;
import io.evkeygen.internal.layout.EvalKeyContainer;
import io.evkeygen.internal.layout.EvalKeyLayout;
import io.evkeygen.params.Parameters;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The part of a key set session every backend shares: the {@code .bin} headers, the EvalKey
 * container records and the order of polynomials (spec sections 4-5). A backend only computes
 * polynomials: the four of EncKey.bin, and ranges of an {@code EVIKeys<r>.bin} body, asked for
 * in batches of {@link #batchPolys()} so that memory stays bounded however large the key.
 */
abstract class AbstractKeySetSession implements KeySetSession {
    protected final Parameters params;

    protected AbstractKeySetSession(Parameters params) {
        this.params = params;
    }

    /** Number of polynomials in the body of {@code EVIKeys<rank>.bin} (after its tag byte). */
    static int eviKeysPolyCount(int rank) {
        return 4 + 4 * rank;
    }

    /** Writes aQ, aP, bQ, bP of the public key (EncKey.bin after its header). */
    protected abstract void writeEncKeyPolys(PolyWriter w) throws IOException;

    /**
     * Writes polynomials [from, to) of the body of {@code EVIKeys<rank>.bin}: index 0..3 the
     * relinearization key aQ, aP, bQ, bP; then aQ of mod-pack keys 0..rank-1, then their aP, bQ, bP.
     */
    protected abstract void writeEviKeysPolys(PolyWriter w, int rank, int from, int to) throws IOException;

    /** Largest range {@link #writeEviKeysPolys} is asked for at once. */
    protected abstract int batchPolys();

    @Override
    public final void writeEncKeyBin(OutputStream out) throws IOException {
        PolyWriter w = new PolyWriter(out, params.n());
        w.bytes(BinLayout.header(BinLayout.TAG_ENCKEY, params));
        writeEncKeyPolys(w);
    }

    @Override
    public final void writeEvalKeyBin(EvalKeyLayout layout, OutputStream out) throws IOException {
        if (!layout.parameters().equals(params)) {
            throw new IllegalArgumentException("EvalKey layout for " + layout.parameters().preset()
                    + " asked of a session for " + params.preset());
        }
        PolyWriter w = new PolyWriter(out, params.n());
        if (layout.placeholder()) {
            w.u8(0);
            return;
        }
        for (EvalKeyLayout.Rank record : layout.ranks()) {
            int rank = record.rank();
            recordHeader(w, record.name(), record.dataLength());
            w.u8(BinLayout.TAG_EVIKEYS);
            int count = eviKeysPolyCount(rank);
            int batch = Math.max(1, batchPolys());
            for (int from = 0; from < count; ) {
                int to = count - from <= batch ? count : from + batch;
                writeEviKeysPolys(w, rank, from, to);
                from = to;
            }
        }
        byte[] meta = layout.metadataEval();
        recordHeader(w, EvalKeyContainer.METADATA_EVAL_NAME, meta.length);
        w.bytes(meta);
    }

    private static void recordHeader(PolyWriter w, String name, long dataLength) throws IOException {
        w.bytes(EvalKeyContainer.recordHeader(name, dataLength));
    }
}
