package io.evkeygen.keyset;

/**
 * Whether the native backend can be used, and why not.
 *
 * @param available   true when the library loaded and its ABI matches
 * @param libraryPath the file loaded (or tried), null when none was found
 * @param source      how it was found: {@code "evkeygen.native.path"}, {@code "EVKEYGEN_NATIVE_PATH"},
 *                    {@code "classpath"}, or null
 * @param version     the library's version string, null when unavailable
 * @param simdLevel   SIMD level new sessions use ({@code scalar}, {@code neon}, {@code avx2},
 *                    {@code avx512}), null when unavailable
 * @param bestSimd    best level the CPU supports, null when unavailable
 * @param aes         AES implementation at that level ({@code soft}, {@code aesni}, {@code vaes},
 *                    {@code armv8}), null when unavailable
 * @param reason      why it is unavailable (one line), null when available
 * @param notCached   why the bundled library (or JNA's dispatch library) was not taken from the per-user
 *                    cache but from a temporary copy (one line: a directory or file there that another
 *                    user could write, no cache that can be written), null when it was or nothing was
 *                    extracted
 */
public record NativeLibraryStatus(boolean available, String libraryPath, String source, String version,
                                  String simdLevel, String bestSimd, String aes, String reason, String notCached) {

    /** Without {@code notCached}: the constructor of the versions before it. */
    public NativeLibraryStatus(boolean available, String libraryPath, String source, String version,
                               String simdLevel, String bestSimd, String aes, String reason) {
        this(available, libraryPath, source, version, simdLevel, bestSimd, aes, reason, null);
    }

    public static NativeLibraryStatus unavailable(String libraryPath, String source, String reason) {
        return new NativeLibraryStatus(false, libraryPath, source, null, null, null, null, reason, null);
    }

    /** One line for logs and {@code info} output. */
    public String describe() {
        String cache = notCached == null ? "" : "; cache not used: " + notCached;
        if (!available) {
            return "native backend unavailable: " + reason + cache;
        }
        return "native backend " + version + " (" + libraryPath + ", simd " + simdLevel + ", best " + bestSimd
                + ", aes " + aes + ")" + cache;
    }
}
