package io.evkeygen.server;

/** Told how much of an EvalKey has been sent to the server; called once per frame, keep it cheap. */
@FunctionalInterface
public interface UploadProgress {
    UploadProgress NONE = (sent, total) -> { };

    /** {@code sent} of {@code total} payload bytes handed to the transport. */
    void sent(long sent, long total);
}
