package io.evkeygen.internal.nativecore;

import io.evkeygen.internal.stream.Base64Encoder;
import java.nio.ByteBuffer;

/**
 * base64 in the native library (AVX-512 VBMI where the CPU has it, a table-driven scalar loop
 * otherwise). Heap arrays go through per-thread direct buffers: two memcpys per 48 KB, small next to
 * the encoding they replace.
 */
public final class NativeBase64Encoder implements Base64Encoder {
    public static final NativeBase64Encoder INSTANCE = new NativeBase64Encoder();

    private static final int CHUNK = 3 << 14;   // 48 KB in, 64 KB out
    private static final ThreadLocal<ByteBuffer[]> BUFFERS = ThreadLocal.withInitial(() -> new ByteBuffer[] {
        ByteBuffer.allocateDirect(CHUNK), ByteBuffer.allocateDirect(CHUNK / 3 * 4)});

    private NativeBase64Encoder() {}

    @Override
    public void encodeTriples(byte[] in, int off, int len, byte[] out, int outOff) {
        if (len % 3 != 0) {
            throw new IllegalArgumentException("length must be a multiple of 3");
        }
        ByteBuffer[] bufs = BUFFERS.get();
        ByteBuffer src = bufs[0];
        ByteBuffer dst = bufs[1];
        for (int done = 0; done < len; ) {
            int n = Math.min(CHUNK, len - done);
            src.clear();
            src.put(in, off + done, n).flip();   // JNA passes a buffer's address at its position
            dst.clear();
            NativeBackend.check(EvkLibrary.evk_base64_encode(src, n, dst, n / 3 * 4), "base64");
            dst.get(out, outOff + done / 3 * 4, n / 3 * 4);
            done += n;
        }
    }

    @Override
    public String name() {
        return "native-" + EvkLibrary.evk_base64_name(EvkLibrary.evk_simd_level());
    }
}
