package io.evkeygen.internal.nativecore;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The functions of {@code native/include/evkeygen.h}, called through JNA {@link Function} handles
 * that {@link NativeLoader} looks up once ({@link #bind}); calling anything before a successful load
 * throws {@link UnsatisfiedLinkError}. {@code size_t} is mapped to {@code long}: only 64-bit libraries
 * are built. Internal: use {@link NativeBackend} and {@code NativeKeyEngine}.
 *
 * <p>Why handles and not JNA's direct mapping ({@code Native.register}): registering builds JNA's
 * {@code Structure.FFIType} descriptions of every argument type the first time, with reflection and
 * annotation proxies, about 15 ms of every CLI start. A handle call costs a microsecond or two more,
 * and this library makes a handful of coarse calls per key set (whole polynomials, 256 KB chunks).
 */
public final class EvkLibrary {
    /** The ABI version this binding is written for (EVK_ABI_VERSION). */
    public static final int ABI_VERSION = 4;

    public static final int OK = 0;

    private static final Object[] NO_ARGS = {};

    /** The exported functions, named as in the header (lower-cased). */
    private enum Symbol {
        EVK_ABI_VERSION, EVK_VERSION, EVK_SIMD_BEST, EVK_SIMD_LEVEL, EVK_SET_SIMD_CAP, EVK_SIMD_NAME,
        EVK_AES_NAME, EVK_STATUS_MESSAGE, EVK_OPEN, EVK_SECKEY_BODY,
        EVK_ENCKEY_BODY, EVK_EVIKEYS_POLYS, EVK_CLOSE, EVK_BASE64_NAME, EVK_BASE64_ENCODE,
        EVK_SHA256_NAME, EVK_SHA256_STATE_SIZE, EVK_SHA256_INIT, EVK_SHA256_UPDATE, EVK_SHA256_FINAL,
        EVK_SHA256, EVK_SIMD_COUNT, EVK_SIMD_SUPPORTED, EVK_SIMD_PARSE, EVK_KEYDATA_STATE_SIZE, EVK_KEYDATA_INIT,
        EVK_KEYDATA_UPDATE, EVK_KEYDATA_FINAL
    }

    /** One handle per {@link Symbol}, by ordinal; null until a library is bound. */
    private static volatile Function[] handles;

    private EvkLibrary() {}

    /** Looks up every function of the header in {@code lib}; a missing one throws UnsatisfiedLinkError. */
    static void bind(NativeLibrary lib) {
        Function[] found = new Function[Symbol.values().length];
        for (Symbol s : Symbol.values()) {
            found[s.ordinal()] = lib.getFunction(s.name().toLowerCase(Locale.ROOT));
        }
        handles = found;
    }

    private static Function fn(Symbol symbol) {
        Function[] h = handles;
        if (h == null) {
            throw new UnsatisfiedLinkError("libevkeygen is not loaded");
        }
        return h[symbol.ordinal()];
    }

    public static int evk_abi_version() {
        return fn(Symbol.EVK_ABI_VERSION).invokeInt(NO_ARGS);
    }

    public static String evk_version() {
        return fn(Symbol.EVK_VERSION).invokeString(NO_ARGS, false);
    }

    public static int evk_simd_best() {
        return fn(Symbol.EVK_SIMD_BEST).invokeInt(NO_ARGS);
    }

    public static int evk_simd_level() {
        return fn(Symbol.EVK_SIMD_LEVEL).invokeInt(NO_ARGS);
    }

    public static int evk_set_simd_cap(int level) {
        return fn(Symbol.EVK_SET_SIMD_CAP).invokeInt(new Object[] {level});
    }

    public static String evk_simd_name(int level) {
        return fn(Symbol.EVK_SIMD_NAME).invokeString(new Object[] {level}, false);
    }

    public static int evk_simd_count() {
        return fn(Symbol.EVK_SIMD_COUNT).invokeInt(NO_ARGS);
    }

    public static boolean evk_simd_supported(int level) {
        return fn(Symbol.EVK_SIMD_SUPPORTED).invokeInt(new Object[] {level}) == 1;
    }

    /** The level named, or -1. */
    public static int evk_simd_parse(String name) {
        return fn(Symbol.EVK_SIMD_PARSE).invokeInt(new Object[] {name});
    }

    public static String evk_aes_name(int level) {
        return fn(Symbol.EVK_AES_NAME).invokeString(new Object[] {level}, false);
    }

    public static String evk_status_message(int status) {
        return fn(Symbol.EVK_STATUS_MESSAGE).invokeString(new Object[] {status}, false);
    }

    public static int evk_open(int n, long q, long p, long psiQ, long psiP, int weight, Pointer seed,
                               long seedLen, int threads, PointerByReference out) {
        return fn(Symbol.EVK_OPEN).invokeInt(new Object[] {n, q, p, psiQ, psiP, weight, seed, seedLen, threads, out.getPointer()});
    }

    public static int evk_seckey_body(Pointer session, Pointer out, long len) {
        return fn(Symbol.EVK_SECKEY_BODY).invokeInt(new Object[] {session, out, len});
    }

    public static int evk_enckey_body(Pointer session, Pointer out, long len) {
        return fn(Symbol.EVK_ENCKEY_BODY).invokeInt(new Object[] {session, out, len});
    }

    public static int evk_evikeys_polys(Pointer session, int rank, int from, int to, Pointer out, long len) {
        return fn(Symbol.EVK_EVIKEYS_POLYS).invokeInt(new Object[] {session, rank, from, to, out, len});
    }

    public static void evk_close(Pointer session) {
        fn(Symbol.EVK_CLOSE).invokeVoid(new Object[] {session});
    }

    public static String evk_base64_name(int level) {
        return fn(Symbol.EVK_BASE64_NAME).invokeString(new Object[] {level}, false);
    }

    /** Direct buffers, passed as the address of each buffer's current position, no copies. */
    public static int evk_base64_encode(ByteBuffer in, long len, ByteBuffer out, long outLen) {
        return fn(Symbol.EVK_BASE64_ENCODE).invokeInt(new Object[] {at(in), len, at(out), outLen});
    }

    public static String evk_sha256_name(int level) {
        return fn(Symbol.EVK_SHA256_NAME).invokeString(new Object[] {level}, false);
    }

    public static long evk_sha256_state_size() {
        return fn(Symbol.EVK_SHA256_STATE_SIZE).invokeLong(NO_ARGS);
    }

    public static int evk_sha256_init(Pointer state) {
        return fn(Symbol.EVK_SHA256_INIT).invokeInt(new Object[] {state});
    }

    public static int evk_sha256_update(Pointer state, Pointer in, long len) {
        return fn(Symbol.EVK_SHA256_UPDATE).invokeInt(new Object[] {state, in, len});
    }

    /** {@code out} is copied back from native memory after the call. */
    public static int evk_sha256_final(Pointer state, byte[] out, long outLen) {
        return fn(Symbol.EVK_SHA256_FINAL).invokeInt(new Object[] {state, out, outLen});
    }

    public static int evk_sha256(Pointer in, long len, byte[] out, long outLen) {
        return fn(Symbol.EVK_SHA256).invokeInt(new Object[] {in, len, out, outLen});
    }

    public static long evk_keydata_state_size() {
        return fn(Symbol.EVK_KEYDATA_STATE_SIZE).invokeLong(NO_ARGS);
    }

    public static int evk_keydata_init(Pointer state) {
        return fn(Symbol.EVK_KEYDATA_INIT).invokeInt(new Object[] {state});
    }

    /** Chars written to out, or a negative status. */
    public static long evk_keydata_update(Pointer state, Pointer in, long len, Pointer out, long outCap) {
        return fn(Symbol.EVK_KEYDATA_UPDATE).invokeLong(new Object[] {state, in, len, out, outCap});
    }

    /** Chars written to out (0 or 4), or a negative status; {@code digest} is copied back after the call. */
    public static long evk_keydata_final(Pointer state, Pointer out, long outCap, byte[] digest, long digestLen) {
        return fn(Symbol.EVK_KEYDATA_FINAL).invokeLong(new Object[] {state, out, outCap, digest, digestLen});
    }

    /** The address of a direct buffer's current position. */
    static Pointer at(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("a direct buffer is needed");
        }
        return Native.getDirectBufferPointer(direct).share(direct.position());
    }
}
