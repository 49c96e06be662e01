package io.evkeygen.keyset;

import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Parameters;
import java.time.Instant;
import java.util.List;

/**
 * What a verification checked and the largest key-equation error it saw.
 *
 * @param parameters   the parameter set the files declare
 * @param evalMode     the EvalKey's mode
 * @param dims         the dims in metadata-eval.json (empty for MM)
 * @param files        the files checked, in order
 * @param keysChecked  number of key equations checked (public key + key-switching keys)
 * @param maxError     largest |e| seen over all checked equations
 * @param secretChecked whether the secret was available, so the equations were checked
 * @param sealed        whether SecKey.json is sealed
 * @param resealInterrupted whether a reseal was interrupted: the set was checked as rolling it back
 *                      (on the next load or reseal) will leave it, with the journaled secret files
 * @param expiresAt     when the set expires: the earliest expires_at (created_at + 1825 days) of its files;
 *                      a verified set has not expired
 */
public record VerificationReport(Parameters parameters, EvalMode evalMode, List<Integer> dims, List<String> files,
                                 int keysChecked, int maxError, boolean secretChecked,
                                 boolean sealed, boolean resealInterrupted, Instant expiresAt) {
}
