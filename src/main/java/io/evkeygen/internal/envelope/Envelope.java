package io.evkeygen.internal.envelope;

/**
 * An envelope as read and verified from a file.
 *
 * @param header     its fields
 * @param binLength  length of the decoded key data
 * @param sha256     SHA-256 of the decoded key data (equal to the {@code hash} field: checked)
 */
public record Envelope(EnvelopeHeader header, long binLength, byte[] sha256) {
}
