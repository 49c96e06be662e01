package io.evkeygen.server;

import java.util.List;
import java.util.Optional;

/**
 * What an activation did (the auto-setup sequence of SERVER-KEYS.md).
 *
 * @param keyId         the key id made the server's loaded key
 * @param generated     whether the key set was generated first ({@link EnvectorKeys}; false from the client)
 * @param registered    whether {@code register_key} ran (the id was not listed)
 * @param evalKeyChecked whether the server's EvalKey under the id is known to be ours: registered
 *                      now, or (v2) {@code get_key_info}'s sha256sum matched. False when the id was
 *                      listed by a server that gives no hash (ES2E): it was loaded unchecked
 * @param unloaded      the other key ids {@code unload_key} was called for
 * @param loaded        whether {@code load_key} ran (false: the server said the key was already loaded)
 * @param api           the API generation spoken
 * @param serverVersion the server's reported version, when it reported one
 */
public record ActivationReport(String keyId, boolean generated, boolean registered, boolean evalKeyChecked,
                               List<String> unloaded, boolean loaded, ServerApi api, Optional<String> serverVersion) {
    public ActivationReport {
        unloaded = List.copyOf(unloaded);
    }

    ActivationReport withGenerated(boolean value) {
        return new ActivationReport(keyId, value, registered, evalKeyChecked, unloaded, loaded, api, serverVersion);
    }
}
