package io.evkeygen.internal.nativecore;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.ByteBuffer;

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
    public static final int ABI_VERSION = 3;

    public static final int OK = 0;
    public static final int SIMD_SCALAR = 0;
    public static final int SIMD_NEON = 1;
    public static final int SIMD_AVX2 = 2;
    public static final int SIMD_AVX512 = 3;

    private static final Object[] NO_ARGS = {};
    private static volatile Functions functions;

    private EvkLibrary() {}

    /** Looks up every function of the header in {@code lib}; a missing one throws UnsatisfiedLinkError. */
    static void bind(NativeLibrary lib) {
        functions = new Functions(lib);
    }

    /** One handle per exported function, looked up by name. */
    private static final class Functions {
        final Function abiVersion;
        final Function version;
        final Function simdBest;
        final Function simdLevel;
        final Function setSimdCap;
        final Function simdName;
        final Function aesName;
        final Function statusMessage;
        final Function open;
        final Function sessionSimdLevel;
        final Function seckeyBody;
        final Function enckeyBody;
        final Function evikeysPolys;
        final Function close;
        final Function base64Name;
        final Function base64Encode;
        final Function sha256Name;
        final Function sha256StateSize;
        final Function sha256Init;
        final Function sha256Update;
        final Function sha256Final;
        final Function sha256;

        Functions(NativeLibrary lib) {
            abiVersion = lib.getFunction("evk_abi_version");
            version = lib.getFunction("evk_version");
            simdBest = lib.getFunction("evk_simd_best");
            simdLevel = lib.getFunction("evk_simd_level");
            setSimdCap = lib.getFunction("evk_set_simd_cap");
            simdName = lib.getFunction("evk_simd_name");
            aesName = lib.getFunction("evk_aes_name");
            statusMessage = lib.getFunction("evk_status_message");
            open = lib.getFunction("evk_open");
            sessionSimdLevel = lib.getFunction("evk_session_simd_level");
            seckeyBody = lib.getFunction("evk_seckey_body");
            enckeyBody = lib.getFunction("evk_enckey_body");
            evikeysPolys = lib.getFunction("evk_evikeys_polys");
            close = lib.getFunction("evk_close");
            base64Name = lib.getFunction("evk_base64_name");
            base64Encode = lib.getFunction("evk_base64_encode");
            sha256Name = lib.getFunction("evk_sha256_name");
            sha256StateSize = lib.getFunction("evk_sha256_state_size");
            sha256Init = lib.getFunction("evk_sha256_init");
            sha256Update = lib.getFunction("evk_sha256_update");
            sha256Final = lib.getFunction("evk_sha256_final");
            sha256 = lib.getFunction("evk_sha256");
        }
    }

    private static Functions fn() {
        Functions f = functions;
        if (f == null) {
            throw new UnsatisfiedLinkError("libevkeygen is not loaded");
        }
        return f;
    }

    public static int evk_abi_version() {
        return fn().abiVersion.invokeInt(NO_ARGS);
    }

    public static String evk_version() {
        return fn().version.invokeString(NO_ARGS, false);
    }

    public static int evk_simd_best() {
        return fn().simdBest.invokeInt(NO_ARGS);
    }

    public static int evk_simd_level() {
        return fn().simdLevel.invokeInt(NO_ARGS);
    }

    public static int evk_set_simd_cap(int level) {
        return fn().setSimdCap.invokeInt(new Object[] {level});
    }

    public static String evk_simd_name(int level) {
        return fn().simdName.invokeString(new Object[] {level}, false);
    }

    public static String evk_aes_name(int level) {
        return fn().aesName.invokeString(new Object[] {level}, false);
    }

    public static String evk_status_message(int status) {
        return fn().statusMessage.invokeString(new Object[] {status}, false);
    }

    public static int evk_open(int n, long q, long p, long psiQ, long psiP, int weight, Pointer seed,
                               long seedLen, int threads, PointerByReference out) {
        return fn().open.invokeInt(new Object[] {n, q, p, psiQ, psiP, weight, seed, seedLen, threads, out.getPointer()});
    }

    public static int evk_session_simd_level(Pointer session) {
        return fn().sessionSimdLevel.invokeInt(new Object[] {session});
    }

    public static int evk_seckey_body(Pointer session, Pointer out, long len) {
        return fn().seckeyBody.invokeInt(new Object[] {session, out, len});
    }

    public static int evk_enckey_body(Pointer session, Pointer out, long len) {
        return fn().enckeyBody.invokeInt(new Object[] {session, out, len});
    }

    public static int evk_evikeys_polys(Pointer session, int rank, int from, int to, Pointer out, long len) {
        return fn().evikeysPolys.invokeInt(new Object[] {session, rank, from, to, out, len});
    }

    public static void evk_close(Pointer session) {
        fn().close.invokeVoid(new Object[] {session});
    }

    public static String evk_base64_name(int level) {
        return fn().base64Name.invokeString(new Object[] {level}, false);
    }

    /** Direct buffers, passed as the address of each buffer's current position, no copies. */
    public static int evk_base64_encode(ByteBuffer in, long len, ByteBuffer out, long outLen) {
        return fn().base64Encode.invokeInt(new Object[] {at(in), len, at(out), outLen});
    }

    public static String evk_sha256_name(int level) {
        return fn().sha256Name.invokeString(new Object[] {level}, false);
    }

    public static long evk_sha256_state_size() {
        return fn().sha256StateSize.invokeLong(NO_ARGS);
    }

    public static int evk_sha256_init(Pointer state) {
        return fn().sha256Init.invokeInt(new Object[] {state});
    }

    public static int evk_sha256_update(Pointer state, Pointer in, long len) {
        return fn().sha256Update.invokeInt(new Object[] {state, in, len});
    }

    /** {@code out} is copied back from native memory after the call. */
    public static int evk_sha256_final(Pointer state, byte[] out, long outLen) {
        return fn().sha256Final.invokeInt(new Object[] {state, out, outLen});
    }

    public static int evk_sha256(Pointer in, long len, byte[] out, long outLen) {
        return fn().sha256.invokeInt(new Object[] {in, len, out, outLen});
    }

    private static Pointer at(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("a direct buffer is needed");
        }
        return Native.getDirectBufferPointer(direct).share(direct.position());
    }
}
