package io.evkeygen.kms.server;

import io.evkeygen.KeySet;
import io.evkeygen.MetadataCipher;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.DirectoryFsync;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.remote.RemoteKeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What the KMS does with a set's sealed secrets besides reading them: open the MetadataKey, reseal
 * (rotation), delete for good (DESTROYED). On the local store these work on the key directory with
 * the SDK's crash-safe reseal (its journal); on a remote store the MetadataKey opens through a private
 * temporary copy of the sealed file and the EncKey it is bound to, and rotation and destruction
 * replace or delete one secret at a time through {@link KeyStore#replaceSecret} and
 * {@link KeyStore#destroySecret}.
 */
abstract class SecretCustody {
    protected final KekProvider master;

    SecretCustody(KekProvider master) {
        this.master = master;
    }

    static SecretCustody of(KeyStore store, Path localRoot, KekProvider master) {
        return localRoot != null ? new Local(localRoot, master) : new Remote(store, master);
    }

    abstract MetadataCipher metadataCipher(String keyId) throws IOException;

    /** The stored size of a public file, for DownloadKey's total_size. */
    abstract long size(String keyId, KeyFileKind kind) throws IOException;

    /** Whether {@link #reseal} and {@link #destroySecrets} work here; asked before a record announces either. */
    abstract boolean changesSecrets();

    /** Reseals SecKey and MetadataKey under fresh sealing material from the master key; public files untouched. */
    abstract void reseal(String keyId) throws IOException;

    /** Deletes SecKey and MetadataKey; EncKey and EvalKey stay. */
    abstract void destroySecrets(String keyId) throws IOException;

    static KmsError noMetadataKey(String keyId) {
        return KmsError.fail("key " + keyId + " has no MetadataKey (generated or imported without metadata"
                + " encryption): metadata calls are not available for it");
    }

    /** Key sets as directories {@code <root>/<keyId>/}. */
    static final class Local extends SecretCustody {
        private final Path root;

        Local(Path root, KekProvider master) {
            super(master);
            this.root = root;
        }

        @Override
        MetadataCipher metadataCipher(String keyId) throws IOException {
            Path dir = root.resolve(keyId);
            if (!Files.isRegularFile(dir.resolve(KeyFileKind.METADATAKEY.fileName()))) {
                throw noMetadataKey(keyId);
            }
            return MetadataCipher.fromFile(dir, master);
        }

        @Override
        boolean changesSecrets() {
            return true;
        }

        @Override
        long size(String keyId, KeyFileKind kind) throws IOException {
            return Files.size(root.resolve(keyId).resolve(kind.fileName()));
        }

        @Override
        void reseal(String keyId) throws IOException {
            KeySet.reseal(root.resolve(keyId), master, master);
        }

        @Override
        void destroySecrets(String keyId) throws IOException {
            Path dir = root.resolve(keyId);
            Files.deleteIfExists(dir.resolve(KeyFileKind.SECKEY.fileName()));
            Files.deleteIfExists(dir.resolve(KeyFileKind.METADATAKEY.fileName()));
            DirectoryFsync.fsync(dir); // the deletions survive a crash
        }
    }

    /** A remote store: the KEK-sealed MetadataKey is copied into a private temporary directory to be opened. */
    static final class Remote extends SecretCustody {
        private final KeyStore store;

        Remote(KeyStore store, KekProvider master) {
            super(master);
            this.store = store;
        }

        @Override
        MetadataCipher metadataCipher(String keyId) throws IOException {
            if (!store.parts(keyId).contains(KeyFileKind.METADATAKEY)) {
                throw noMetadataKey(keyId);
            }
            try (PrivateTempDir temp = new PrivateTempDir("evkeygen-kms-")) {
                copy(keyId, KeyFileKind.METADATAKEY, temp.path());
                copy(keyId, KeyFileKind.ENCKEY, temp.path());
                return MetadataCipher.fromFile(temp.path(), master);
            }
        }

        /** A remote store gives no sizes: one pass over the object counts it. */
        @Override
        long size(String keyId, KeyFileKind kind) throws IOException {
            try (InputStream in = store.open(keyId, kind)) {
                return in.transferTo(OutputStream.nullOutputStream());
            }
        }

        private void copy(String keyId, KeyFileKind kind, Path dir) throws IOException {
            try (InputStream in = store.open(keyId, kind)) {
                Files.copy(in, dir.resolve(kind.fileName()));
            }
        }

        /**
         * The remote stores of the SDK ({@link RemoteKeyStore}: aws, gcp, vault) replace and delete one
         * secret; another store (a local one not declared as such, a third party's) is refused before
         * the record announces a rotation or destruction it could not finish.
         */
        @Override
        boolean changesSecrets() {
            return store instanceof RemoteKeyStore;
        }

        static KmsError refused(String keyId) {
            return KmsError.fail("rotating or destroying key " + keyId + " needs a store that replaces one secret at a"
                    + " time: the local, aws, gcp or vault store");
        }

        /**
         * SecKey, then MetadataKey when present: each envelope is read, opened with the master key,
         * sealed under a fresh grant, opened once more to check it (all in memory, by
         * {@link KeySet#resealEnvelope}) and written back with {@link KeyStore#replaceSecret}, one atomic
         * replace in the store's service. Crash safety without a journal: each replace leaves its file
         * under the old or the new sealing, and both open under the master key, so a crash (or a failed
         * second replace) between the two leaves a set whose every file still opens; the record's
         * expired ROTATING lease then reads as ACTIVE, and a later rotation reseals both again.
         */
        @Override
        void reseal(String keyId) throws IOException {
            Set<KeyFileKind> parts = store.parts(keyId);
            for (KeyFileKind kind : List.of(KeyFileKind.SECKEY, KeyFileKind.METADATAKEY)) {
                if (!parts.contains(kind)) {
                    continue;
                }
                byte[] old;
                try (InputStream in = store.open(keyId, kind)) {
                    old = in.readAllBytes(); // sealed: no secret in clear
                }
                store.replaceSecret(keyId, kind, KeySet.resealEnvelope(old, kind, master, master));
            }
        }

        /** SecKey first (the set stops existing at once), then MetadataKey; the public parts stay. */
        @Override
        void destroySecrets(String keyId) throws IOException {
            store.destroySecret(keyId, KeyFileKind.SECKEY);
            store.destroySecret(keyId, KeyFileKind.METADATAKEY);
        }
    }
}
