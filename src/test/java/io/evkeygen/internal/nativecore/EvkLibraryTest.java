package io.evkeygen.internal.nativecore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The function-handle binding: arguments reach C as the header declares them. */
class EvkLibraryTest {

    @BeforeEach
    void requireNative() {
        assumeTrue(NativeBackend.isAvailable(), "native library unavailable: " + NativeBackend.status().reason());
    }

    @Test
    void directBuffersPassTheirCurrentPosition() {
        byte[] text = "key sets for enVector".getBytes(StandardCharsets.US_ASCII); // 21 bytes: 7 triples
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        ByteBuffer out = ByteBuffer.allocateDirect(64);
        in.position(5);
        in.put(text).position(5);
        out.position(9);
        assertEquals(EvkLibrary.OK, EvkLibrary.evk_base64_encode(in, text.length, out, text.length / 3 * 4));
        byte[] got = new byte[text.length / 3 * 4];
        out.get(9, got);
        assertEquals(Base64.getEncoder().encodeToString(text), new String(got, StandardCharsets.US_ASCII));
        assertEquals(0, out.get(8), "nothing written before the position");
    }

    @Test
    void longsAndArraysRoundTripThroughSha256() throws Exception {
        byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
        Memory in = new Memory(data.length);
        in.write(0, data, 0, data.length);
        byte[] digest = new byte[32];
        assertEquals(EvkLibrary.OK, EvkLibrary.evk_sha256(in, data.length, digest, digest.length));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)),
                HexFormat.of().formatHex(digest));
        assertEquals(EvkLibrary.ABI_VERSION, EvkLibrary.evk_abi_version());
    }

    @Test
    void theSimdTableComesFromTheLibrary() {
        int count = EvkLibrary.evk_simd_count();
        assertEquals(4, count, "scalar, neon, avx2, avx512");
        for (int level = 0; level < count; level++) {
            assertEquals(level, EvkLibrary.evk_simd_parse(" " + EvkLibrary.evk_simd_name(level).toUpperCase() + " "));
        }
        assertEquals(-1, EvkLibrary.evk_simd_parse("sse2"));
        assertEquals(true, EvkLibrary.evk_simd_supported(0), "scalar runs everywhere");
        assertEquals(true, EvkLibrary.evk_simd_supported(EvkLibrary.evk_simd_best()));
        assertEquals(false, EvkLibrary.evk_simd_supported(count));
    }

    @Test
    void keyDataStreamsItsTextAndEndsWithTheDigest() throws Exception {
        byte[] data = "key sets for enVector".getBytes(StandardCharsets.US_ASCII); // 21 bytes
        Memory state = new Memory(EvkLibrary.evk_keydata_state_size());
        Memory in = new Memory(data.length);
        Memory out = new Memory(32);
        in.write(0, data, 0, data.length);
        assertEquals(EvkLibrary.OK, EvkLibrary.evk_keydata_init(state));
        StringBuilder text = new StringBuilder();
        long n = EvkLibrary.evk_keydata_update(state, in, 4, out, out.size());   // 1 byte waits
        assertEquals(4, n);
        text.append(new String(out.getByteArray(0, (int) n), StandardCharsets.US_ASCII));
        n = EvkLibrary.evk_keydata_update(state, in.share(4), data.length - 4, out, out.size());
        text.append(new String(out.getByteArray(0, (int) n), StandardCharsets.US_ASCII));
        byte[] digest = new byte[32];
        n = EvkLibrary.evk_keydata_final(state, out, out.size(), digest, digest.length);
        assertEquals(0, n, "21 bytes: no last quantum");
        assertEquals(Base64.getEncoder().encodeToString(data), text.toString());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), digest);
        assertEquals(EvkLibrary.OK, EvkLibrary.evk_keydata_init(state));
        assertEquals(-3L, EvkLibrary.evk_keydata_update(state, in, 21, out, 27), "28 chars need room for 28");
    }

    @Test
    void aLibraryWithoutTheFunctionsIsRefusedAndTheBindingStays() {
        NativeLibrary libm = NativeLibrary.getInstance(Platform.MATH_LIBRARY_NAME); // libc would be the whole process
        assertThrows(UnsatisfiedLinkError.class, () -> EvkLibrary.bind(libm));
        assertEquals(EvkLibrary.ABI_VERSION, EvkLibrary.evk_abi_version());
    }
}
