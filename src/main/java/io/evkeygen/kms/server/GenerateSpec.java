package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyRequest;
import io.evkeygen.params.EvalMode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * What a GenerateKey asks for, checked: preset and eval mode in any case (defaults IP0 and RMP),
 * metadata encryption (default on) and an optional 64-byte seed. The parameter sets no public core
 * has (pyenvector 1.5's default IP3/MM32 among them) are refused with what works instead.
 */
record GenerateSpec(String preset, EvalMode evalMode, boolean metadata, byte[] seed) {
    static final int SEED_LENGTH = 64;
    private static final Set<String> PRESETS = Set.of("IP0", "IP1");
    private static final Set<String> UNPUBLISHED_PRESETS = Set.of("IP2", "IP3");
    private static final Set<String> UNPUBLISHED_MODES = Set.of("MMS", "MM32", "MMS32");
    static final String WHAT_WORKS = "pass preset=\"IP1\" with eval_mode=\"RMP\" or \"MM\" to ev.init";

    static GenerateSpec of(GenerateKeyRequest r) {
        String preset = r.hasPreset() ? r.getPreset().strip().toUpperCase(Locale.ROOT) : "IP0";
        if (UNPUBLISHED_PRESETS.contains(preset)) {
            throw KmsError.invalid("preset " + preset + " is not published (this KMS generates IP0 and IP1): " + WHAT_WORKS);
        }
        if (!PRESETS.contains(preset)) {
            throw KmsError.invalid("unknown preset '" + r.getPreset() + "' (this KMS generates IP0 and IP1): " + WHAT_WORKS);
        }
        String mode = r.hasEvalMode() ? r.getEvalMode().strip().toUpperCase(Locale.ROOT) : "RMP";
        if (UNPUBLISHED_MODES.contains(mode)) {
            throw KmsError.invalid("eval mode " + mode + " is not published (this KMS generates RMP, MM and FLAT): "
                    + WHAT_WORKS);
        }
        EvalMode evalMode;
        try {
            evalMode = EvalMode.parse(mode);
        } catch (RuntimeException e) {
            throw KmsError.invalid("unknown eval mode '" + r.getEvalMode() + "' (this KMS generates RMP, MM and FLAT): "
                    + WHAT_WORKS);
        }
        byte[] seed = null;
        if (!r.getSeed().isEmpty()) {
            if (r.getSeed().size() != SEED_LENGTH) {
                throw KmsError.invalid("seed must be exactly " + SEED_LENGTH + " bytes, not " + r.getSeed().size());
            }
            seed = r.getSeed().toByteArray();
        }
        return new GenerateSpec(preset, evalMode, !r.hasMetadataEncryptionEnabled() || r.getMetadataEncryptionEnabled(),
                seed);
    }

    /** Zeroes the seed once the generator holds its copy. */
    void wipe() {
        if (seed != null) {
            Arrays.fill(seed, (byte) 0);
        }
    }
}
