package io.evkeygen.internal.nativecore;

import com.sun.jna.Memory;
import java.util.Objects;

/**
 * SHA-256 in the native library: SHA-NI or ARMv8 SHA2 instructions where the CPU has them (at the
 * SIMD level in effect when the hash starts), portable C++ otherwise. Unlike the JDK's
 * {@code MessageDigest}, it is fast from the first call (no wait for C2 to compile the intrinsic).
 * Key data the library generated is hashed where it lies by {@link NativeKeyDataEncoder} instead.
 * Not thread-safe.
 */
public final class NativeSha256 implements AutoCloseable {
    public static final int DIGEST_LENGTH = 32;

    /**
     * Heap arrays are copied through this much native memory per call: as fast as JNA's byte[]
     * mapping cold, and faster warm (1.59-1.65 against 0.98-1.57 GB/s on 12.8 MB, SHA-NI).
     */
    private static final int CHUNK = 64 * 1024;

    private final Memory state;
    private Memory chunk;        // allocated on the first byte[] update
    private boolean started;     // false after digest() until reset()
    private boolean closed;

    /** Starts a hash; throws {@link IllegalStateException} with the reason when the library is unavailable. */
    public NativeSha256() {
        NativeBackend.require();
        state = new Memory(EvkLibrary.evk_sha256_state_size());   // malloc: aligned as the state needs
        reset();
    }

    public static NativeSha256 create() {
        return new NativeSha256();
    }

    /** True when the native library is loaded (loads it on first use). */
    public static boolean available() {
        return NativeBackend.isAvailable();
    }

    /** The compression new hashes use: "portable", "sha-ni" or "armv8". */
    public static String implementation() {
        NativeBackend.require();
        return EvkLibrary.evk_sha256_name(EvkLibrary.evk_simd_level());
    }

    /** Starts over, with the implementation of the SIMD level now in effect. */
    public NativeSha256 reset() {
        requireOpen();
        NativeBackend.check(EvkLibrary.evk_sha256_init(state), "sha256 init");
        started = true;
        return this;
    }

    public NativeSha256 update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        requireStarted();
        if (chunk == null && len > 0) {
            chunk = new Memory(CHUNK);
        }
        for (int done = 0; done < len; ) {
            int n = Math.min(CHUNK, len - done);
            chunk.write(0, b, off + done, n);
            NativeBackend.check(EvkLibrary.evk_sha256_update(state, chunk, n), "sha256 update");
            done += n;
        }
        return this;
    }

    public NativeSha256 update(byte[] b) {
        return update(b, 0, b.length);
    }

    /** Finishes the hash and returns it; call {@link #reset()} before hashing again. */
    public byte[] digest() {
        requireStarted();
        byte[] out = new byte[DIGEST_LENGTH];
        NativeBackend.check(EvkLibrary.evk_sha256_final(state, out, DIGEST_LENGTH), "sha256 final");
        started = false;
        return out;
    }

    /** Frees the native memory now (zeroed first) instead of at garbage collection. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        started = false;
        state.clear();
        state.close();
        if (chunk != null) {
            chunk.clear();
            chunk.close();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("NativeSha256 is closed: create a new one");
        }
    }

    private void requireStarted() {
        requireOpen();
        if (!started) {
            throw new IllegalStateException("digest() finished this hash: call reset() before updating again");
        }
    }
}
