package io.evkeygen;

import io.evkeygen.internal.keydir.LocalKeyStore;
import io.evkeygen.internal.ops.KeyTransfer;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Key stores and moving key sets between them. Remote stores live in the integration packages
 * (for example {@code io.evkeygen.aws.AwsKeyStore}); this class gives the local one.
 */
public final class KeyStores {
    /** The parts that make a complete key set (spec section 9): {@link KeyFileKind#REQUIRED}. */
    public static final Set<KeyFileKind> REQUIRED = KeyFileKind.REQUIRED;

    private KeyStores() {}

    /** Key sets as directories {@code <keyPath>/<keyId>/}, written atomically; a null key id means {@code keyPath} itself. */
    public static KeyStore local(Path keyPath) {
        return new LocalKeyStore(keyPath);
    }

    /** Verifies the key directory {@code dir} (every envelope and key equation), then saves it to {@code to} as {@code keyId}. */
    public static String upload(Path dir, KeyStore to, String keyId) throws IOException {
        return KeyTransfer.upload(dir, to, keyId);
    }

    /**
     * Copies the key set {@code keyId} from {@code from} into {@code <keyPath>/<keyId>/}, verified in
     * its staging directory before it appears; a failed check leaves nothing behind.
     *
     * @return the key directory
     */
    public static Path download(KeyStore from, String keyId, Path keyPath) throws IOException {
        return KeyTransfer.download(from, keyId, null, new LocalKeyStore(keyPath), keyId);
    }
}
