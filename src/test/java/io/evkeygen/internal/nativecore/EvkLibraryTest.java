package io.evkeygen.internal.nativecore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
        com.sun.jna.Memory in = new com.sun.jna.Memory(data.length);
        in.write(0, data, 0, data.length);
        byte[] digest = new byte[32];
        assertEquals(EvkLibrary.OK, EvkLibrary.evk_sha256(in, data.length, digest, digest.length));
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data)),
                java.util.HexFormat.of().formatHex(digest));
        assertEquals(EvkLibrary.ABI_VERSION, EvkLibrary.evk_abi_version());
    }

    @Test
    void aLibraryWithoutTheFunctionsIsRefusedAndTheBindingStays() {
        NativeLibrary libm = NativeLibrary.getInstance(Platform.MATH_LIBRARY_NAME); // libc would be the whole process
        assertThrows(UnsatisfiedLinkError.class, () -> EvkLibrary.bind(libm));
        assertEquals(EvkLibrary.ABI_VERSION, EvkLibrary.evk_abi_version());
    }
}
