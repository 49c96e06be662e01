package io.evkeygen.server;

/**
 * What the server says about one registered key ({@code get_key_info}, v2 only).
 *
 * @param keyId     the key id
 * @param type      the key type, {@code EvalKey}
 * @param preset    the preset name as registered
 * @param evalMode  the eval mode as registered
 * @param sha256sum lower-case hex SHA-256 of the payload as registered
 * @param loaded    whether it is the server's loaded key
 */
public record ServerKeyInfo(String keyId, String type, String preset, String evalMode, String sha256sum,
                            boolean loaded) {
}
