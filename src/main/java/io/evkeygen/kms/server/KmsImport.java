package io.evkeygen.kms.server;

import io.evkeygen.KeySet;
import io.evkeygen.KeyStores;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Takes an existing key set into a KMS's store ({@code evkeygen kms import}), also while servers run:
 * the set is verified first, its files' kid must be the key id, SecKey and MetadataKey are resealed
 * under the master key in a private temporary copy (the source stays as it is; an unsealed SecKey
 * never reaches the store), the copy is saved (all or nothing), and an ACTIVE record names the actor.
 */
public final class KmsImport {
    private KmsImport() {}

    /**
     * @param sourceKek opens the source's sealed secrets; null when they are not sealed
     * @return the store's description of where the set went
     * @throws KeygenException TARGET_EXISTS when the key id is taken, USAGE for a kid mismatch or a
     *                         sealed source without its KEK, INVALID_KEY or UNSEAL when the set fails its checks
     */
    public static String importSet(Path dir, String keyId, KekProvider sourceKek, KeyStore store, KekProvider master,
                                   String actor, Clock clock) throws IOException {
        KeySet set = KeySet.load(dir, sourceKek); // verified: envelopes, layouts, key equations
        if (!set.keyId().equals(keyId)) {
            throw KeygenException.usage("--key_id " + keyId + " is not the set's kid (" + set.keyId() + ")");
        }
        if (set.sealed() && sourceKek == null) {
            throw KeygenException.usage("the key set in " + dir + " is sealed: give the KEK that opens it");
        }
        KmsRecords records = new KmsRecords(store.records("kms"));
        if (!store.parts(keyId).isEmpty() || records.read(keyId).isPresent()) {
            throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "key id " + keyId
                    + " already exists in the KMS's store", KeygenException.Setting.KEY_ID, null);
        }
        try (PrivateTempDir temp = new PrivateTempDir("evkeygen-kms-import-")) {
            Path copy = temp.path();
            for (KeyFileKind kind : KeyFileKind.values()) {
                Path file = dir.resolve(kind.fileName());
                if (Files.isRegularFile(file)) {
                    Files.copy(file, copy.resolve(kind.fileName()));
                }
            }
            KeySet.reseal(copy, sourceKek, master);
            String where = KeyStores.upload(copy, store, keyId);
            KmsRecord record = KmsRecord.active(clock.instant(), actor);
            if (!records.create(keyId, record)) {
                // a server saw the set before its record and adopted it: the import's actor is the one to keep
                records.update(keyId, r -> r.transition(r.state(), clock.instant(), actor, null));
            }
            return where;
        }
    }
}
