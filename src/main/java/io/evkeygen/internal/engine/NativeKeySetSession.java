package io.evkeygen.internal.engine;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.layout.BinLayout;
import io.evkeygen.internal.nativecore.EvkLibrary;
import io.evkeygen.internal.nativecore.NativeBackend;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Seed;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;

/**
 * A key set computed by the native library. The library holds the secret (zeroed by
 * {@code evk_close}); Java owns every buffer it passes: one batch buffer per session, written by
 * the library and streamed out, so a FLAT 4096 EvalKey (0.5 GB) needs only a few MB off-heap.
 * The native session and the buffer are freed by {@link #close()}, on every error path, and by a
 * {@link Cleaner} if a session is dropped unclosed.
 */
final class NativeKeySetSession extends AbstractKeySetSession {
    private static final Cleaner CLEANER = Cleaner.create();
    /** Polynomials per call for each worker thread: a call costs microseconds, a polynomial ~0.1 ms. */
    private static final int POLYS_PER_THREAD = 8;
    /** The NTT kernels' alignment: the library computes polynomials in place in a buffer aligned to it. */
    private static final int ALIGNMENT = 64;

    private final State state;
    private final Cleaner.Cleanable cleanable;
    private final long polyBytes;
    private final int batch;

    /** The native resources; also the Cleaner action, so it must not refer to the session. */
    private static final class State implements Runnable {
        private Pointer handle;
        private Memory buffer;      // as allocated, freed by run()
        private Memory aligned;     // buffer from its first ALIGNMENT-aligned byte
        private ByteBuffer view;    // aligned as a buffer, made once (each JNA view is a JNI call)

        @Override
        public synchronized void run() {
            if (handle != null) {
                EvkLibrary.evk_close(handle);
                handle = null;
            }
            if (buffer != null) {
                buffer.close();
                buffer = null;
                aligned = null;
                view = null;
            }
        }
    }

    NativeKeySetSession(Parameters params, Seed seed, int threads) {
        super(params);
        NativeBackend.require();
        int t = Math.max(1, threads);
        this.polyBytes = BinLayout.polyBytes(params);
        this.batch = Math.max(4, POLYS_PER_THREAD * t);
        this.state = new State();
        PointerByReference out = new PointerByReference();
        int rc;
        try (Memory seedMem = new Memory(Seed.LENGTH)) {
            seedMem.write(0, seed.secret().reveal(), 0, Seed.LENGTH);
            try {
                rc = EvkLibrary.evk_open(params.n(), params.q(), params.p(), params.psiQ(), params.psiP(),
                        params.hammingWeight(), seedMem, Seed.LENGTH, t, out);
            } finally {
                seedMem.clear();
            }
        }
        if (rc != EvkLibrary.OK) {
            throw new KeygenException(KeygenException.Kind.FAILURE,
                    "native key generation could not start: " + EvkLibrary.evk_status_message(rc) + " (" + rc + ")");
        }
        state.handle = out.getValue();
        this.cleanable = CLEANER.register(this, state);
        try {
            state.buffer = new Memory(batch * polyBytes + ALIGNMENT);
            state.aligned = state.buffer.align(ALIGNMENT);
            state.view = state.aligned.getByteBuffer(0, batch * polyBytes);
        } catch (RuntimeException | Error e) {
            cleanable.clean();
            throw e;
        }
    }

    private Pointer handle() {
        if (state.handle == null) {
            throw new IllegalStateException("key set session is closed");
        }
        return state.handle;
    }

    private static void check(int rc, String what) {
        if (rc != EvkLibrary.OK) {
            throw new KeygenException(KeygenException.Kind.FAILURE,
                    "native " + what + " failed: " + EvkLibrary.evk_status_message(rc) + " (" + rc + ")");
        }
    }

    @Override
    public byte[] secKeyBin() {
        byte[] header = BinLayout.header(BinLayout.TAG_SECKEY, params);
        int len = params.n() / 4;
        synchronized (state) {
            try (Memory m = new Memory(len)) {
                try {
                    check(EvkLibrary.evk_seckey_body(handle(), m, len), "SecKey");
                    byte[] out = new byte[header.length + len];
                    System.arraycopy(header, 0, out, 0, header.length);
                    m.read(0, out, header.length, len);
                    return out;
                } finally {
                    m.clear();
                }
            }
        }
    }

    @Override
    protected void writeEncKeyPolys(PolyWriter w) throws IOException {
        synchronized (state) {
            long len = 4 * polyBytes;
            check(EvkLibrary.evk_enckey_body(handle(), state.aligned, len), "EncKey");
            w.buffer(state.view.slice(0, (int) len));
        }
    }

    @Override
    protected int batchPolys() {
        return batch;
    }

    @Override
    protected void writeEviKeysPolys(PolyWriter w, int rank, int from, int to) throws IOException {
        synchronized (state) {
            long len = (to - from) * polyBytes;
            check(EvkLibrary.evk_evikeys_polys(handle(), rank, from, to, state.aligned, len), "EvalKey");
            w.buffer(state.view.slice(0, (int) len));
        }
    }

    @Override
    public void close() {
        cleanable.clean();
    }
}
