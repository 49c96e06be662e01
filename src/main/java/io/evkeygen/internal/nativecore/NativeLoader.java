package io.evkeygen.internal.nativecore;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and binds {@code libevkeygen}, once per JVM (shape of zstd-jni / lz4-java):
 * <ol>
 *   <li>an explicit file: system property {@code evkeygen.native.path}, else environment variable
 *       {@code EVKEYGEN_NATIVE_PATH};</li>
 *   <li>else the library bundled on the classpath for this platform ({@link NativePlatform}: OS,
 *       architecture and, on Linux, glibc or musl; {@code linux-x86-64/libevkeygen.so},
 *       {@code linux-aarch64-musl/libevkeygen.so}, {@code win32-x86-64/evkeygen.dll}, ...): the per-user
 *       cached copy while the record of its verification still matches the file, else extracted again
 *       and checked against the SHA-256 the build wrote beside it, into the cache or, where the cache
 *       is not trusted, into a private temporary file deleted once loaded ({@link NativeCache}; on
 *       Windows, where the cache is not used, in a private directory the next run removes);</li>
 *   <li>else nothing: the caller falls back to pure Java, and the reason (the platform, the resource
 *       looked for, the classifier jar that carries it) is logged once.</li>
 * </ol>
 * An explicit path that fails is not silently replaced by the bundled library: the reason names it.
 */
final class NativeLoader {
    static final String PATH_PROPERTY = "evkeygen.native.path";
    static final String PATH_ENV = "EVKEYGEN_NATIVE_PATH";
    static final String LIBRARY = "evkeygen";

    private static final System.Logger LOG = System.getLogger("io.evkeygen.nativecore");
    private static Loaded loaded;

    /**
     * What the one load attempt found; {@code notCached}: why the bundled library or JNA's dispatch
     * library did not come from the per-user cache, or null.
     */
    record Loaded(boolean ok, String path, String source, String reason, String notCached) {
        Loaded(boolean ok, String path, String source, String reason) {
            this(ok, path, source, reason, null);
        }

        Loaded withNotCached(String note) {
            return note == null ? this : new Loaded(ok, path, source, reason, note);
        }
    }

    private NativeLoader() {}

    static synchronized Loaded load() {
        if (loaded == null) {
            String jnaNotCached = NativeCache.prepareJnaDispatch(); // before anything below loads JNA's Native
            loaded = attempt();
            if (jnaNotCached != null) {
                loaded = loaded.withNotCached(loaded.notCached() == null ? "JNA's dispatch library: " + jnaNotCached
                        : loaded.notCached() + "; JNA's dispatch library: " + jnaNotCached);
            }
            if (loaded.notCached() != null) {
                LOG.log(System.Logger.Level.DEBUG, "native cache not used: " + loaded.notCached());
            }
            if (!loaded.ok()) {
                LOG.log(System.Logger.Level.DEBUG, "native backend unavailable: " + loaded.reason());
            }
        }
        return loaded;
    }

    private static Loaded attempt() {
        String source = PATH_PROPERTY;
        String explicit = System.getProperty(PATH_PROPERTY);
        if (explicit == null || explicit.isBlank()) {
            source = PATH_ENV;
            explicit = System.getenv(PATH_ENV);
        }
        File file;
        boolean deleteAfterLoad = false;
        String notCached = null;
        if (explicit != null && !explicit.isBlank()) {
            file = new File(explicit.trim());
            if (!file.isFile()) {
                return new Loaded(false, file.getPath(), source, source + " names " + file + ", which is not a file");
            }
        } else {
            source = "classpath";
            NativePlatform platform = NativePlatform.current();
            NativePlatform.Target target = platform.target();
            ClassLoader cl = NativeLoader.class.getClassLoader();
            URL url = cl == null || target == null ? null : cl.getResource(target.resource());
            if (url == null) {
                return new Loaded(false, null, null, platform.missing(NativeLoader.class.getPackage()
                        .getImplementationVersion(), anyBundled(cl)));
            }
            String resource = target.resource();
            try {
                // the SHA-256 the build wrote beside the library (pom.xml, native-host)
                NativeCache.Extracted extracted = NativeCache.extract(url, cl.getResource(resource + ".sha256"),
                        target.file);
                file = extracted.file();
                deleteAfterLoad = extracted.deleteAfterLoad();
                notCached = extracted.notCached();
            } catch (IOException | RuntimeException e) {
                return new Loaded(false, null, source, "cannot extract " + resource + ": " + e.getMessage());
            }
        }
        String path = file.getAbsolutePath();
        try {
            NativeLibrary lib;
            try {
                lib = NativeLibrary.getInstance(path);
            } finally {
                if (deleteAfterLoad) {
                    // the loader keeps its mapping; no copy outlives the process (Windows keeps a loaded
                    // DLL's file: the next run removes its directory, NativeCache.privateCopyDirectory)
                    file.delete();
                }
            }
            EvkLibrary.bind(lib);
            int abi = EvkLibrary.evk_abi_version();
            if (abi != EvkLibrary.ABI_VERSION) {
                return new Loaded(false, path, source, path + " has ABI version " + abi + ", expected "
                        + EvkLibrary.ABI_VERSION, notCached);
            }
            return new Loaded(true, path, source, null, notCached);
        } catch (LinkageError | RuntimeException e) {
            String message = oneLine(e.getMessage());
            String hint = NativePlatform.current().muslJnaHint(message);
            return new Loaded(false, path, source, (hint.isEmpty() ? glibcHint(message, runningGlibc()) : hint)
                    + "cannot load " + path + ": "
                    + message, notCached);
        }
    }

    /** Whether the class path carries a library for any of the seven platforms (a host build: its own only). */
    private static boolean anyBundled(ClassLoader cl) {
        if (cl == null) {
            return false;
        }
        for (NativePlatform.Target t : NativePlatform.Target.values()) {
            if (cl.getResource(t.resource()) != null) {
                return true;
            }
        }
        return false;
    }

    private static final Pattern GLIBC_MISSING = Pattern.compile("version `GLIBC_([0-9]+(?:\\.[0-9]+)+)' not found");

    /**
     * For a loader error naming missing {@code GLIBC_x.y} versions: "needs glibc X.Y, this system has
     * glibc Z: " (the bundled library needs 2.17, docs/NATIVE.md); otherwise "".
     */
    static String glibcHint(String message, String running) {
        Matcher m = GLIBC_MISSING.matcher(message == null ? "" : message);
        String needed = null;
        while (m.find()) {
            if (needed == null || compareVersions(m.group(1), needed) > 0) {
                needed = m.group(1);
            }
        }
        if (needed == null) {
            return "";
        }
        return "needs glibc " + needed + " or newer, this system has "
                + (running == null ? "an unknown C library" : "glibc " + running) + ": ";
    }

    /** gnu_get_libc_version() of the running C library, or null (not glibc, or no JNA). */
    static String runningGlibc() {
        try {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("gnu_get_libc_version")
                    .invokeString(new Object[0], false);
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0,
                    i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("\\s+", " ").trim();
    }
}
