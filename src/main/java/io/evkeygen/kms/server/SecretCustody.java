package io.evkeygen.kms.server;

import io.evkeygen.KeySet;
import io.evkeygen.MetadataCipher;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the KMS does with a set's sealed secrets besides reading them: open the MetadataKey, reseal
 * (rotation), delete for good (DESTROYED). On the local store these work on the key directory with
 * the SDK's crash-safe reseal; on a remote store only the MetadataKey opens (through a private
 * temporary copy of the sealed file and the EncKey it is bound to), and rotation and destruction are
 * refused: the store port has no per-file replace or delete.
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
            try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
                c.force(true); // the deletions survive a crash
            }
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

        @Override
        boolean changesSecrets() {
            return false;
        }

        @Override
        void reseal(String keyId) {
            throw refused(keyId);
        }

        @Override
        void destroySecrets(String keyId) {
            throw refused(keyId);
        }

        static KmsError refused(String keyId) {
            return KmsError.fail("rotating or destroying key " + keyId + " needs the local key store in this release");
        }
    }
}
