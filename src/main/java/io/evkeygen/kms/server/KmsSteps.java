package io.evkeygen.kms.server;

/**
 * Hears each step of the KMS's background work (generation, rotation): does nothing unless a test or
 * benchmark installs one, to count generations or to stop a server process at a chosen point.
 */
@FunctionalInterface
interface KmsSteps {
    String GENERATION_STARTED = "generation-started";
    String GENERATION_SAVED = "generation-saved";
    String ROTATION_STARTED = "rotation-started";
    String ROTATION_RESEALED = "rotation-resealed";

    KmsSteps NONE = (keyId, step) -> { };

    void reached(String keyId, String step);
}
