package io.evkeygen.server;

import java.util.List;
import java.util.Optional;

/**
 * The server's registered key ids ({@code get_key_list}) and what the client learned on the way.
 *
 * @param keyIds        registered key ids, in the server's order
 * @param api           the API generation spoken (never AUTO)
 * @param serverVersion the version the server reported in its trailing metadata (v2), when it did
 */
public record KeyListing(List<String> keyIds, ServerApi api, Optional<String> serverVersion) {
    public KeyListing {
        keyIds = List.copyOf(keyIds);
    }
}
