package io.evkeygen.keyset;

import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a key directory holds, without secret material: what {@code inspect} prints.
 *
 * @param dir               the key directory
 * @param kid               the key id in the envelopes
 * @param createdAt         creation time of the first file read
 * @param parameters        the parameter block
 * @param security          the security bracket of the parameters (HE standard table)
 * @param evalMode          the EvalKey's mode, empty when there is no EvalKey.json
 * @param dims              dims served by the EvalKey (empty for MM)
 * @param ranks             pad ranks of the EvalKey's records
 * @param metadataEncryption whether MetadataKey.json is present
 * @param files             one entry per key file present, in file order
 * @param resealInterrupted whether an interrupted reseal waits to be rolled back (the journaled
 *                          secret files were described)
 */
public record InspectionReport(Path dir, String kid, Instant createdAt, Parameters parameters, String security,
                               Optional<EvalMode> evalMode, List<Integer> dims, List<Integer> ranks,
                               boolean metadataEncryption, List<FileReport> files, boolean resealInterrupted) {

    /**
     * One key file.
     *
     * @param name          file name
     * @param size          file size in bytes
     * @param keyDataLength decoded key data length
     * @param keyDataSha256 hex SHA-256 of the decoded key data (the envelope's hash)
     * @param fileSha256    hex SHA-256 of the file
     * @param sealAlg       the seal algorithm, empty when not sealed
     * @param kmsKeyId      the KMS key of a KMS-sealed file, else empty
     * @param unsealedOk    whether a given KEK opened it (false when none was given or it is not sealed)
     */
    public record FileReport(String name, long size, long keyDataLength, String keyDataSha256, String fileSha256,
                             Optional<String> sealAlg, Optional<String> kmsKeyId, boolean unsealedOk) {
        public boolean sealed() {
            return sealAlg.isPresent();
        }
    }
}
