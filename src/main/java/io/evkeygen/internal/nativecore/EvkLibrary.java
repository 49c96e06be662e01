package io.evkeygen.internal.nativecore;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * JNA direct mapping of {@code native/include/evkeygen.h} (bound by {@link NativeLoader} with
 * {@code Native.register}; calling anything before a successful load throws
 * {@link UnsatisfiedLinkError}). {@code size_t} is mapped to {@code long}: only 64-bit libraries
 * are built. Internal: use {@link NativeBackend} and {@code NativeKeyEngine}.
 */
public final class EvkLibrary {
    /** The ABI version this binding is written for (EVK_ABI_VERSION). */
    public static final int ABI_VERSION = 3;

    public static final int OK = 0;
    public static final int SIMD_SCALAR = 0;
    public static final int SIMD_NEON = 1;
    public static final int SIMD_AVX2 = 2;
    public static final int SIMD_AVX512 = 3;

    private EvkLibrary() {}

    public static native int evk_abi_version();

    public static native String evk_version();

    public static native int evk_simd_best();

    public static native int evk_simd_level();

    public static native int evk_set_simd_cap(int level);

    public static native String evk_simd_name(int level);

    public static native String evk_aes_name(int level);

    public static native String evk_status_message(int status);

    public static native int evk_open(int n, long q, long p, long psiQ, long psiP, int weight, Pointer seed,
                                      long seedLen, int threads, PointerByReference out);

    public static native int evk_session_simd_level(Pointer session);

    public static native int evk_seckey_body(Pointer session, Pointer out, long len);

    public static native int evk_enckey_body(Pointer session, Pointer out, long len);

    public static native int evk_evikeys_polys(Pointer session, int rank, int from, int to, Pointer out, long len);

    public static native void evk_close(Pointer session);

    public static native String evk_base64_name(int level);

    /** Direct buffers: JNA passes the address at each buffer's current position, no copies. */
    public static native int evk_base64_encode(java.nio.ByteBuffer in, long len, java.nio.ByteBuffer out, long outLen);

    public static native String evk_sha256_name(int level);

    public static native long evk_sha256_state_size();

    public static native int evk_sha256_init(Pointer state);

    public static native int evk_sha256_update(Pointer state, Pointer in, long len);

    public static native int evk_sha256_final(Pointer state, byte[] out, long outLen);

    public static native int evk_sha256(Pointer in, long len, byte[] out, long outLen);
}
