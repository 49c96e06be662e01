package io.evkeygen.internal.nativecore;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.evkeygen.internal.stream.ByteBufferOutput;
import io.evkeygen.internal.stream.InPlaceOutput;
import io.evkeygen.internal.stream.KeyDataEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Key data hashed and base64-encoded by the native library ({@code evk_keydata_*}), in one pass:
 * bytes already in native memory (the session's batch buffer, as a direct buffer) are read where
 * they are, and only the finished text comes back to Java, to be written. Hashing and encoding cost
 * a few percent of generating the bytes, so they run on the producer's thread: handing them to
 * threads of their own would need the bytes copied out of the batch buffer first.
 */
public final class NativeKeyDataEncoder extends KeyDataEncoder {
    /** The native backend's encoders; {@code parallel} does not apply (see above). */
    public static final Factory FACTORY = (text, expectedLength, parallel) -> new NativeKeyDataEncoder(text, expectedLength);

    /** Input per native call: 192 KB in, 256 KB of text out. */
    private static final int IN_CHUNK = 3 << 16;

    private final OutputStream text;
    private final InPlaceOutput inPlace;   // text, when it lends its buffer (a key file written with direct I/O); else null
    private final int inChunk;
    private final Memory state;
    private final Memory out;
    private ByteBuffer outView;   // out as a buffer, made on first use (each JNA view is a JNI call)
    private byte[] chars;         // for a stream that takes only arrays; allocated on first use
    private Memory in;            // for bytes that come from the Java heap; allocated on first use
    private long count;
    private boolean finished;
    private boolean closed;

    private NativeKeyDataEncoder(OutputStream text, long expectedLength) {
        NativeBackend.require();
        this.text = Objects.requireNonNull(text, "text");
        this.inPlace = text instanceof InPlaceOutput lender ? lender : null;
        // a small file gets small buffers: fresh memory is not free
        this.inChunk = (int) Math.max(3, Math.min(IN_CHUNK, (expectedLength + 2) / 3 * 3));
        this.state = new Memory(EvkLibrary.evk_keydata_state_size());   // malloc: aligned as the state needs
        this.out = new Memory(inChunk / 3 * 4);
        NativeBackend.check(EvkLibrary.evk_keydata_init(state), "key data init");
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        requireOpen();
        if (in == null && len > 0) {
            in = new Memory(inChunk);
        }
        for (int done = 0; done < len; ) {
            int n = Math.min(inChunk, len - done);
            in.write(0, b, off + done, n);
            encode(in, n);
            done += n;
        }
    }

    /** A direct buffer is read in place; a heap one goes through {@link #write(byte[], int, int)}. */
    @Override
    public void write(ByteBuffer src) throws IOException {
        if (!src.isDirect()) {
            byte[] copy = new byte[src.remaining()];
            src.get(copy);
            write(copy, 0, copy.length);
            return;
        }
        requireOpen();
        Pointer base = EvkLibrary.at(src);
        int len = src.remaining();
        for (int done = 0; done < len; ) {
            int n = Math.min(inChunk, len - done);
            encode(base.share(done), n);
            done += n;
        }
        src.position(src.limit());
    }

    /**
     * Encodes n bytes: into the file's own I/O buffer when the stream lends one (a key file written
     * with direct I/O), else into {@link #out} and on to the stream.
     */
    private void encode(Pointer bytes, int n) throws IOException {
        ByteBuffer lent = inPlace != null ? inPlace.claim((int) out.size()) : null;
        if (lent != null) {
            long written = EvkLibrary.evk_keydata_update(state, bytes, n, EvkLibrary.at(lent), lent.remaining());
            if (written < 0) {
                NativeBackend.check((int) written, "key data update");
            }
            inPlace.commit((int) written);
        } else {
            emit(EvkLibrary.evk_keydata_update(state, bytes, n, out, out.size()), "key data update");
        }
        count += n;
    }

    /**
     * Passes the text the last call wrote (or fails on its status) to the envelope's stream: from
     * native memory when the stream takes buffers (a key file), else through a Java array.
     */
    private void emit(long written, String what) throws IOException {
        if (written < 0) {
            NativeBackend.check((int) written, what);
        }
        if (written == 0) {
            return;
        }
        if (text instanceof ByteBufferOutput direct) {
            if (outView == null) {
                outView = out.getByteBuffer(0, out.size());
            }
            direct.write(outView.slice(0, (int) written));
            return;
        }
        if (chars == null) {
            chars = new byte[(int) out.size()];
        }
        out.read(0, chars, 0, (int) written);
        text.write(chars, 0, (int) written);
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public byte[] finish() throws IOException {
        requireOpen();
        byte[] digest = new byte[32];
        emit(EvkLibrary.evk_keydata_final(state, out, out.size(), digest, digest.length), "key data final");
        finished = true;
        return digest;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        state.close();
        out.close();
        if (in != null) {
            in.close();
        }
    }

    private void requireOpen() {
        if (closed || finished) {
            throw new IllegalStateException("key data encoder is " + (closed ? "closed" : "finished"));
        }
    }
}
