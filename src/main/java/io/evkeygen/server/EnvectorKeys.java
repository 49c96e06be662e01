package io.evkeygen.server;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeyManager;
import io.evkeygen.KeySet;
import io.evkeygen.KeyStores;
import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;

/**
 * What the Python SDK's {@code ev.init()} (and the Go SDK's {@code ActivateKeys}) does for keys:
 * make sure the key set exists, generating it when it is absent, then make its EvalKey the server's
 * loaded key ({@link EnvectorClient#activate}).
 */
public final class EnvectorKeys {
    private EnvectorKeys() {}

    /**
     * With the key set in {@code <keyPath>/<keyId>/} of {@code generator}: loads and verifies it, or
     * generates it when the directory holds no key file and {@code autoKeySetup} is true (an absent
     * set is an error otherwise, as in Python); then activates it on the server. The server is asked
     * first ({@link EnvectorClient#checkReachable()}): when it cannot be reached nothing is generated.
     * Only what was set on the generator's builder is compared with an existing set
     * ({@link KeyManager#ensureKeys(KeyGenerator)}), and a key id the server already lists must hold
     * this set's EvalKey ({@link EnvectorClient#activate}).
     */
    public static ActivationReport init(EnvectorClient client, KeyGenerator generator, boolean autoKeySetup,
                                        UploadProgress progress) throws IOException {
        String keyId = keyId(generator);
        boolean absent = KeyStores.local(generator.keyPath()).parts(keyId).isEmpty();
        if (absent && !autoKeySetup) {
            throw new KeygenException(KeygenException.Kind.USAGE, "no key set at "
                    + generator.keyPath().resolve(keyId) + " and automatic key setup is off",
                    KeygenException.Setting.KEY_ID, null);
        }
        client.checkReachable(); // before a generation: an unreachable server leaves nothing new on disk
        KeySet keys = KeyManager.ensureKeys(generator); // generates when absent; verifies and checks the fit
        return client.activate(keyId, EvalKeyPayload.fromDirectory(keys.directory()), progress).withGenerated(absent);
    }

    /**
     * As {@link #init(EnvectorClient, KeyGenerator, boolean, UploadProgress)} with the key set in
     * {@code store} (the AWS store, say): generated into the store when no part of it is there, and
     * registered from the store, streamed.
     */
    public static ActivationReport init(EnvectorClient client, KeyGenerator generator, KeyStore store,
                                        boolean autoKeySetup, UploadProgress progress) throws IOException {
        String keyId = keyId(generator);
        boolean absent = store.parts(keyId).isEmpty();
        if (absent && !autoKeySetup) {
            throw new KeygenException(KeygenException.Kind.USAGE, "no key set '" + keyId + "' in " + store
                    + " and automatic key setup is off", KeygenException.Setting.KEY_ID, null);
        }
        client.checkReachable(); // before a generation: an unreachable server leaves nothing new in the store
        if (absent) {
            generator.generateKeys(store);
        } else if (!store.exists(keyId)) {
            throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "the key set '" + keyId + "' in " + store
                    + " is incomplete: delete it or use another key id");
        }
        return client.activate(keyId, EvalKeyPayload.fromStore(store, keyId), progress).withGenerated(absent);
    }

    private static String keyId(KeyGenerator generator) {
        String keyId = generator.keyId();
        if (keyId == null || keyId.isBlank()) {
            throw KeygenException.usage(KeygenException.Setting.KEY_ID, "a key id is required to register keys with a server");
        }
        return keyId;
    }
}
