package io.evkeygen.internal.keydir;

/**
 * The steps of a reseal, in the order it passes them, and who is told as it does: nobody in
 * production (the reseal's default hook ignores them). ResealCrashTest's child JVM halts at one
 * step, as {@code kill -9} would, to prove that a crash at any step leaves the old or the new key
 * set (issue 11 item 9).
 */
@FunctionalInterface
public interface ResealSteps {
    String BEFORE_JOURNAL = "before-journal";
    String JOURNAL_TMP_WRITTEN = "journal-tmp-written";
    String JOURNAL_RENAMED = "journal-renamed";
    String SECRET_RENAMED_PREFIX = "renamed-"; // + file name, e.g. renamed-SecKey.json
    String COMMIT_RENAMED = "commit-renamed";
    String DONE_DELETED = "done-deleted";

    /** The reseal has just passed {@code step}. */
    void reached(String step);
}
