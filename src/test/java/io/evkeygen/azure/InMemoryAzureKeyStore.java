package io.evkeygen.azure;

import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.remote.RemoteKeyStore;
import io.evkeygen.spi.remote.RemoteLayout;

/**
 * A store that is not in the product: Azure Blob Storage for EncKey and EvalKey, Azure Key Vault for
 * SecKey and MetadataKey, in memory. It exists to show what a new remote store takes: its two ports
 * and this class, nothing outside these files (and one row in the CLI's store table to name it).
 */
public final class InMemoryAzureKeyStore extends RemoteKeyStore {
    private final InMemoryBlobContainer blobs;
    private final InMemoryKeyVault vault;

    public InMemoryAzureKeyStore(String prefix) {
        this(new RemoteLayout(prefix));
    }

    private InMemoryAzureKeyStore(RemoteLayout layout) {
        this(new InMemoryBlobContainer("keys", layout), new InMemoryKeyVault("evkeygen", layout));
    }

    private InMemoryAzureKeyStore(InMemoryBlobContainer blobs, InMemoryKeyVault vault) {
        super(blobs, vault, "in memory");
        this.blobs = blobs;
        this.vault = vault;
    }

    public InMemoryBlobContainer blobs() {
        return blobs;
    }

    public InMemoryKeyVault vault() {
        return vault;
    }

    @Override
    public String location(String keyId) {
        return blobs.where(keyId, KeyFileKind.ENCKEY).replace("enc_blob.json", "") + " + key vault "
                + vault.where(keyId, KeyFileKind.SECKEY);
    }
}
