package io.evkeygen.internal.envelope;

import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import io.evkeygen.spi.SealFields;
import java.time.Instant;

/**
 * Everything in an envelope except the key data and the fields derived from it.
 *
 * @param kind       which key file
 * @param kid        the key id
 * @param createdAt  creation time, truncated to seconds when written
 * @param requester  requester block
 * @param evalMode   the EvalKey's mode; null for the other files (written as {@code ""})
 * @param parameters the parameter block
 * @param seal       seal fields, or null when not sealed
 * @param encKeySha256 MetadataKey only: SHA-256 of the set's EncKey.bin, binding it to its set; else null
 */
public record EnvelopeHeader(KeyFileKind kind, String kid, Instant createdAt, Requester requester,
                             EvalMode evalMode, Parameters parameters, SealFields seal, byte[] encKeySha256) {

    /** A header without a set binding (every file but MetadataKey). */
    public EnvelopeHeader(KeyFileKind kind, String kid, Instant createdAt, Requester requester, EvalMode evalMode,
                          Parameters parameters, SealFields seal) {
        this(kind, kid, createdAt, requester, evalMode, parameters, seal, null);
    }

    /** The same header with other seal fields (reseal keeps everything else). */
    public EnvelopeHeader withSeal(SealFields newSeal) {
        return new EnvelopeHeader(kind, kid, createdAt, requester, evalMode, parameters, newSeal, encKeySha256);
    }
}
