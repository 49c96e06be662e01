package io.evkeygen.keyset;

/** Told how far the EvalKey generation is, the only step that can take minutes (FLAT). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    /** {@code done} of {@code total} EvalKey.bin bytes generated; called often, keep it cheap. */
    void evalKeyProgress(long done, long total);
}
