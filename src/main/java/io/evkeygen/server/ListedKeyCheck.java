package io.evkeygen.server;

import io.evkeygen.error.KeygenException;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether the EvalKey a server already holds under a key id is ours: {@code get_key_info}'s
 * sha256sum (SERVER-KEYS.md: the lower-case hex SHA-256 of the registered payload, EvalKey.bin)
 * against the hash of the payload we would register. Another client's key under the same id must
 * never be loaded as ours.
 */
final class ListedKeyCheck {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int SHOWN = 12;

    private ListedKeyCheck() {}

    /**
     * Refuses (STORE, exit 7) when {@code serverSha256} is not the payload's hash. An empty value (a
     * server that does not say) is no answer and is not refused; the caller reports the key unchecked.
     */
    static void requireOurs(String keyId, String serverSha256, EvalKeyPayload payload) throws IOException {
        if (serverSha256.isEmpty()) {
            return;
        }
        String ours = payload.describe().sha256Hex();
        if (serverSha256.toLowerCase(Locale.ROOT).equals(ours)) {
            return;
        }
        throw new KeygenException(KeygenException.Kind.STORE, "the server holds key " + keyId + " with EvalKey sha256 "
                + shown(serverSha256) + ", ours is " + ours.substring(0, SHOWN)
                + "...: it is not this key set's; delete it from the server (server delete) or use another key id");
    }

    /** The first hex digits of a well-formed hash; a malformed one (a remote string) is not echoed. */
    private static String shown(String sha256) {
        return SHA256_HEX.matcher(sha256).matches()
                ? sha256.substring(0, SHOWN).toLowerCase(Locale.ROOT) + "..." : "(not a SHA-256: " + sha256.length() + " characters)";
    }
}
