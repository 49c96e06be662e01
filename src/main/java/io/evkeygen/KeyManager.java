package io.evkeygen;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.keydir.LocalKeyStore;
import io.evkeygen.params.EvalMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;

/** Get-or-create for key sets, like the Python SDK's {@code ev.init()}. */
public final class KeyManager {
    private KeyManager() {}

    /**
     * Loads and verifies the key set at {@code <keyPath>/<keyId>}, or generates it when there is none
     * (default preset, metadata encryption on, random seed).
     */
    public static KeySet ensureKeys(Path keyPath, String keyId, Collection<Integer> dims, EvalMode evalMode)
            throws IOException {
        return ensureKeys(KeyGenerator.builder().keyPath(keyPath).keyId(keyId).dims(dims).evalMode(evalMode).build());
    }

    /**
     * Loads and verifies the key set {@code generator} would write, generating it only when its
     * directory holds no key file. An existing set that fails verification is an error (never
     * silently replaced), and so is one made for another eval mode, fewer dims, or without the
     * metadata key the generator asks for.
     */
    public static KeySet ensureKeys(KeyGenerator generator) throws IOException {
        LocalKeyStore store = new LocalKeyStore(generator.keyPath());
        Path dir = store.directory(generator.keyId());
        if (store.parts(generator.keyId()).isEmpty()) {
            generator.generateKeys();
        }
        KeySet keys = KeySet.load(dir, generator.sealer()); // a sealed set opens with the generator's KEK
        boolean fits = keys.evalMode() == generator.evalMode()
                && (generator.evalMode() == EvalMode.MM || keys.dims().containsAll(generator.dims()))
                && (keys.hasMetadataKey() || !generator.metadataEncryption());
        if (!fits) {
            throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "existing key set " + dir + " ("
                    + keys.evalMode() + ", dims " + keys.dims() + (keys.hasMetadataKey() ? "" : ", no metadata key")
                    + ") does not match the request (" + generator.evalMode() + ", dims " + generator.dims()
                    + "): use another key id");
        }
        return keys;
    }
}
