package io.evkeygen.internal.nativecore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.evkeygen.keyset.NativeLibraryStatus;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Loader status and the SIMD cap; skips, saying why, without the native library. */
class NativeBackendTest {

    @Test
    void statusDescribesTheLoadedLibrary() {
        NativeLibraryStatus st = NativeBackend.status();
        assumeTrue(st.available(), () -> "skipping: " + st.describe());
        assertNull(st.reason());
        assertNotNull(st.libraryPath());
        assertTrue(st.libraryPath().endsWith("libevkeygen.so"), st.libraryPath());
        assertTrue(List.of("scalar", "neon", "avx2", "avx512").contains(st.simdLevel()), st.simdLevel());
        assertTrue(st.describe().startsWith("native backend "), st.describe());
    }

    @Test
    void simdCapClampsAndResets() {
        assumeTrue(NativeBackend.isAvailable(), () -> "skipping: " + NativeBackend.status().describe());
        List<String> levels = NativeBackend.availableSimdLevels();
        try {
            for (String l : levels) {
                assertEquals(l, NativeBackend.setSimdCap(l));
                assertEquals(l, NativeBackend.status().simdLevel());
            }
            // the other architecture's level caps to scalar
            String foreign = levels.contains("neon") ? "avx2" : "neon";
            assertEquals("scalar", NativeBackend.setSimdCap(foreign));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeBackend.setSimdCap("sse9"));
            assertEquals("unknown SIMD level 'sse9': use scalar, neon, avx2 or avx512", e.getMessage());
            String top = levels.get(levels.size() - 1);
            assertEquals(top, NativeBackend.setSimdCap(" " + top.toUpperCase(Locale.ROOT) + " "), "case and blanks ignored");
            assertEquals("scalar", levels.get(0));
        } finally {
            NativeBackend.setSimdCap(null);
        }
    }
}
