package io.evkeygen.internal.nativecore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The native SHA-256 gives the JDK's digests, at the scalar cap (portable) and the best level. */
class NativeSha256Test {

    @BeforeEach
    void requireNative() {
        assumeTrue(NativeSha256.available(), "native library unavailable: " + NativeBackend.status().reason());
    }

    @AfterEach
    void resetCap() {
        if (NativeSha256.available()) {
            NativeBackend.setSimdCap(null);
        }
    }

    /** scalar, then the best level this CPU has (SHA-NI / ARMv8 SHA2 where present). */
    private static List<String> levels() {
        List<String> all = NativeBackend.availableSimdLevels();
        return all.size() == 1 ? all : List.of(all.get(0), all.get(all.size() - 1));
    }

    private static byte[] jdk(byte[] b, int off, int len) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(b, off, len);
        return md.digest();
    }

    private static byte[] nativeHash(byte[] b, int off, int len) {
        try (NativeSha256 h = NativeSha256.create()) {
            return h.update(b, off, len).digest();
        }
    }

    @Test
    void fips180Examples() {
        String[][] vectors = {
            {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
            {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
            {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
            {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
            {"a".repeat(1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
        };
        for (String level : levels()) {
            NativeBackend.setSimdCap(level);
            for (String[] v : vectors) {
                byte[] m = v[0].getBytes(StandardCharsets.US_ASCII);
                assertEquals(v[1], HexFormat.of().formatHex(nativeHash(m, 0, m.length)),
                        NativeSha256.implementation() + " at " + level + ", " + m.length + " bytes");
            }
        }
        NativeBackend.setSimdCap("scalar");
        assertEquals("portable", NativeSha256.implementation());
    }

    @Test
    void randomLengthsAndSplitsEqualTheJdk() throws Exception {
        Random rnd = new Random(256);
        byte[] data = new byte[200_000];
        rnd.nextBytes(data);
        for (String level : levels()) {
            NativeBackend.setSimdCap(level);
            for (int round = 0; round < 300; round++) {
                int len = round < 150 ? round : rnd.nextInt(200_000 - 3);   // every short length, then long ones
                int off = rnd.nextInt(3);
                try (NativeSha256 h = NativeSha256.create()) {
                    for (int at = 0; at < len; ) {
                        int n = Math.min(len - at, rnd.nextInt(4) == 0 ? rnd.nextInt(130_000) : rnd.nextInt(200));
                        h.update(data, off + at, n);
                        at += n;
                    }
                    assertArrayEquals(jdk(data, off, len), h.digest(), level + " length " + len);
                }
            }
        }
    }

    @Test
    void keyDataSizedBufferEqualsTheJdk() throws Exception {
        byte[] data = new byte[12_800_000];   // the key data of a default key set
        new Random(12).nextBytes(data);
        byte[] want = jdk(data, 0, data.length);
        for (String level : levels()) {
            NativeBackend.setSimdCap(level);
            assertArrayEquals(want, nativeHash(data, 0, data.length), level);
        }
    }

    @Test
    void lifecycleIsChecked() throws Exception {
        NativeSha256 h = NativeSha256.create();
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(jdk(abc, 0, 3), h.update(abc).digest());
        assertThrows(IllegalStateException.class, () -> h.update(abc));
        assertThrows(IllegalStateException.class, h::digest);
        assertArrayEquals(jdk(abc, 0, 3), h.reset().update(abc).digest());
        assertThrows(IndexOutOfBoundsException.class, () -> h.reset().update(abc, 2, 2));
        h.close();
        h.close();
        assertThrows(IllegalStateException.class, h::reset);
    }
}
