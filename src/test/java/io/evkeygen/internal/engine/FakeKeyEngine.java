package io.evkeygen.internal.engine;

import io.evkeygen.internal.layout.BinLayout;
import io.evkeygen.internal.layout.EvalKeyContainer;
import io.evkeygen.internal.layout.EvalKeyLayout;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Seed;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test engine: no cryptography, but files of the right layout and length whose bytes depend only
 * on the seed (SHA-256 counter stream), so orchestration tests are fast and deterministic.
 */
public final class FakeKeyEngine implements KeyEngine {
    /** Throw from writeEvalKeyBin after this many bytes (negative: never). */
    private final long failEvalKeyAfter;
    public final AtomicInteger opened = new AtomicInteger();
    public final AtomicInteger closed = new AtomicInteger();

    public FakeKeyEngine() {
        this(-1);
    }

    public FakeKeyEngine(long failEvalKeyAfter) {
        this.failEvalKeyAfter = failEvalKeyAfter;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public KeySetSession open(Parameters params, Seed seed, int threads) {
        opened.incrementAndGet();
        byte[] key = sha256(seed.secret().reveal());
        return new KeySetSession() {
            @Override
            public byte[] secKeyBin() {
                byte[] out = new byte[(int) BinLayout.secKeyLength(params)];
                byte[] h = BinLayout.header(BinLayout.TAG_SECKEY, params);
                System.arraycopy(h, 0, out, 0, h.length);
                fill(key, "sec", out, h.length, out.length - h.length);
                return out;
            }

            @Override
            public void writeEncKeyBin(OutputStream out) throws IOException {
                out.write(BinLayout.header(BinLayout.TAG_ENCKEY, params));
                stream(key, "enc", out, 4 * BinLayout.polyBytes(params), -1);
            }

            @Override
            public void writeEvalKeyBin(EvalKeyLayout layout, OutputStream out) throws IOException {
                if (layout.placeholder()) {
                    out.write(0);
                    return;
                }
                long written = 0;
                for (EvalKeyLayout.Rank r : layout.ranks()) {
                    long len = r.dataLength();
                    written += record(out, r.name(), len);
                    out.write(BinLayout.TAG_EVIKEYS);
                    long budget = failEvalKeyAfter < 0 ? -1 : Math.max(0, failEvalKeyAfter - written);
                    stream(key, "evi" + r.rank(), out, len - 1, budget);
                    written += len;
                }
                byte[] meta = layout.metadataEval();
                record(out, EvalKeyContainer.METADATA_EVAL_NAME, meta.length);
                out.write(meta);
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    }

    private static long record(OutputStream out, String name, long dataLength) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + n.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(EvalKeyContainer.RECORD_MARK).putLong(n.length).put(n).putLong(dataLength);
        out.write(b.array());
        return b.capacity();
    }

    /** Writes {@code length} stream bytes in 32 KiB chunks; fails once {@code failAfter} bytes went out. */
    private static void stream(byte[] key, String label, OutputStream out, long length, long failAfter)
            throws IOException {
        byte[] chunk = new byte[32 * 1024];
        long done = 0;
        long block = 0;
        while (done < length) {
            if (failAfter >= 0 && done >= failAfter) {
                throw new IOException("simulated engine failure");
            }
            int n = (int) Math.min(chunk.length, length - done);
            fillBlock(key, label, block++, chunk, n);
            out.write(chunk, 0, n);
            done += n;
        }
    }

    private static void fill(byte[] key, String label, byte[] out, int off, int len) {
        byte[] tmp = new byte[len];
        fillBlock(key, label, 0, tmp, len);
        System.arraycopy(tmp, 0, out, off, len);
    }

    private static void fillBlock(byte[] key, String label, long block, byte[] out, int len) {
        // Cheap expansion: one hash per 32 KiB block, then a xorshift; plenty for tests.
        byte[] h = sha256((label + ":" + block + ":" + HexFormat.of().formatHex(key))
                .getBytes(StandardCharsets.US_ASCII));
        long x = ByteBuffer.wrap(h).getLong() | 1;
        for (int i = 0; i < len; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            out[i] = (byte) x;
        }
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
