package io.evkeygen.testutil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * What every remote store's {@link KeyStore#replaceSecret} and {@link KeyStore#destroySecret} must
 * keep, checked through the store alone: a replace changes the sealing (other bytes) and nothing
 * else (the same SecKey and metadata key, the set still verifying under the KEK); a destroy removes
 * exactly SecKey and MetadataKey. The store's own tests add what its service keeps of old versions.
 */
public final class SecretReplaceChecks {
    private static final List<KeyFileKind> SECRETS = List.of(KeyFileKind.SECKEY, KeyFileKind.METADATAKEY);

    private SecretReplaceChecks() {}

    /** Generates a small sealed set {@code keyId} (dim 32) into {@code store}, staged under {@code work}. */
    public static void generateSealed(KeyStore store, String keyId, KekProvider kek, Path work) throws IOException {
        KeyGenerator.builder().keyPath(work).keyId(keyId).dims(32).threads(2).seal(kek).build().generateKeys(store);
    }

    /** The stored envelope of one part. */
    public static byte[] envelope(KeyStore store, String keyId, KeyFileKind kind) throws IOException {
        try (InputStream in = store.open(keyId, kind)) {
            return in.readAllBytes();
        }
    }

    /**
     * Reseals SecKey and MetadataKey of the sealed set {@code keyId} under a fresh grant of {@code kek}
     * and replaces them; checks the new envelopes differ, the set verifies and gives the same keys.
     *
     * @return the envelopes before the replace
     */
    public static Map<KeyFileKind, byte[]> replaceBothAndCheck(KeyStore store, String keyId, KekProvider kek, Path work)
            throws IOException {
        byte[][] before = keys(store, keyId, kek, work.resolve("before"));
        Map<KeyFileKind, byte[]> old = new EnumMap<>(KeyFileKind.class);
        for (KeyFileKind kind : SECRETS) {
            old.put(kind, envelope(store, keyId, kind));
            store.replaceSecret(keyId, kind, KeySet.resealEnvelope(old.get(kind), kind, kek, kek));
            assertFalse(Arrays.equals(old.get(kind), envelope(store, keyId, kind)), kind + " has a new sealing");
        }
        byte[][] after = keys(store, keyId, kek, work.resolve("after"));
        assertArrayEquals(before[0], after[0], "the same SecKey under the new sealing");
        assertArrayEquals(before[1], after[1], "the same metadata key under the new sealing");
        return old;
    }

    /** Destroys both secrets: the public parts stay, the set no longer exists, a second destroy is fine. */
    public static void destroyBothAndCheck(KeyStore store, String keyId) throws IOException {
        for (KeyFileKind kind : SECRETS) {
            store.destroySecret(keyId, kind);
        }
        assertEquals(EnumSet.of(KeyFileKind.ENCKEY, KeyFileKind.EVALKEY), store.parts(keyId));
        assertFalse(store.exists(keyId));
        store.destroySecret(keyId, KeyFileKind.SECKEY); // already gone
    }

    /**
     * A replace of a secret that is not there fails as one line starting "replacing" and naming
     * {@code code} (the service's answer), and a public part is refused; returns SecKey's envelope of
     * {@code keyId}, for {@link #failedReplaceChangesNothing}.
     */
    public static byte[] missingSecretIsRefused(KeyStore store, String keyId, String code) throws IOException {
        byte[] envelope = envelope(store, keyId, KeyFileKind.SECKEY);
        KeygenException missing = assertThrows(KeygenException.class,
                () -> store.replaceSecret("absent-" + keyId, KeyFileKind.SECKEY, envelope));
        assertTrue(missing.getMessage().startsWith("replacing ") && missing.getMessage().contains(code),
                missing.getMessage());
        assertEquals(KeygenException.Kind.USAGE, assertThrows(KeygenException.class,
                () -> store.replaceSecret(keyId, KeyFileKind.ENCKEY, envelope)).kind(), "only secrets are replaced");
        return envelope;
    }

    /** With a failure armed in the service: the replace fails naming {@code code}, and SecKey is as it was. */
    public static void failedReplaceChangesNothing(KeyStore store, String keyId, byte[] envelope, String code)
            throws IOException {
        KeygenException failed = assertThrows(KeygenException.class,
                () -> store.replaceSecret(keyId, KeyFileKind.SECKEY, envelope));
        assertTrue(failed.getMessage().contains(code), failed.getMessage());
        assertArrayEquals(envelope, envelope(store, keyId, KeyFileKind.SECKEY), "nothing changed");
    }

    /** SecKey's and the metadata key's bytes of the set as downloaded and verified with {@code kek}. */
    private static byte[][] keys(KeyStore store, String keyId, KekProvider kek, Path keyPath) throws IOException {
        KeySet.load(store, keyId, keyPath);
        KeySet set = KeySet.load(keyPath.resolve(keyId), kek); // every key equation, the secrets opened
        try (SecretBytes sk = set.secretKey(); SecretBytes mk = set.metadataKey().orElseThrow()) {
            return new byte[][] {sk.reveal().clone(), mk.reveal().clone()};
        }
    }
}
