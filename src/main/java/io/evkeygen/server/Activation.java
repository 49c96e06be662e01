package io.evkeygen.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The auto-setup sequence of SERVER-KEYS.md ({@link EnvectorClient#activate}), the same for every
 * API generation: list; register when the id is not listed, else check that the server's key is
 * ours when the generation can describe it; unload the others; load unless the server says the key
 * is loaded already.
 */
final class Activation {
    private Activation() {}

    static ActivationReport run(EnvectorClient client, String keyId, EvalKeyPayload payload, UploadProgress progress)
            throws IOException {
        KeyListing listing = client.listKeys();
        ServerProtocol server = client.protocol();
        boolean register = !listing.keyIds().contains(keyId);
        Optional<ServerKeyInfo> listed = Optional.empty();
        if (register) {
            client.upload(keyId, payload, payload.describe(), progress);
        } else {
            listed = server.describe(keyId);
            if (listed.isPresent()) {
                ListedKeyCheck.requireOurs(keyId, listed.get().sha256sum(), payload);
            }
        }
        List<String> unloaded = new ArrayList<>();
        for (String other : listing.keyIds()) {
            if (!other.equals(keyId)) {
                client.unload(other);
                unloaded.add(other);
            }
        }
        Optional<ServerKeyInfo> now = listed.isPresent() ? listed : server.describe(keyId);
        boolean load = now.map(k -> !k.loaded()).orElse(true);
        if (load) {
            client.load(keyId);
        }
        boolean checked = register || listed.map(k -> !k.sha256sum().isEmpty()).orElse(false);
        return new ActivationReport(keyId, false, register, checked, unloaded, load, listing.api(),
                client.serverVersion());
    }
}
