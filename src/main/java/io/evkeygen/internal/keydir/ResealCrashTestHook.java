package io.evkeygen.internal.keydir;

/**
 * TEST HOOK ONLY (issue 11 item 9): lets a test kill the JVM at one named step of a reseal, to prove
 * that a crash at any step leaves the old or the new key set (ResealCrashTest). Inert unless the
 * system property {@code evkeygen.test.crashAt} names a step; then {@link #step} halts the JVM there
 * with status 137 (as {@code kill -9}: no shutdown hooks, no cleanup). Never set it in production.
 */
public final class ResealCrashTestHook {
    /** The steps, in the order a reseal passes them. */
    public static final String BEFORE_JOURNAL = "before-journal";
    public static final String JOURNAL_TMP_WRITTEN = "journal-tmp-written";
    public static final String JOURNAL_RENAMED = "journal-renamed";
    public static final String SECRET_RENAMED_PREFIX = "renamed-"; // + file name, e.g. renamed-SecKey.json
    public static final String COMMIT_RENAMED = "commit-renamed";
    public static final String DONE_DELETED = "done-deleted";

    private static final String CRASH_AT = System.getProperty("evkeygen.test.crashAt");

    private ResealCrashTestHook() {}

    /** Halts the JVM when {@code name} is the step the test asked for; otherwise does nothing. */
    public static void step(String name) {
        if (CRASH_AT != null && CRASH_AT.equals(name)) {
            Runtime.getRuntime().halt(137);
        }
    }
}
