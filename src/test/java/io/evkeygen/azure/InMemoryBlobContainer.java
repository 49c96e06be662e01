package io.evkeygen.azure;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.remote.ObjectStore;
import io.evkeygen.spi.remote.RemoteLayout;
import io.evkeygen.spi.remote.StagedKeySet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An Azure Blob container in memory: block blobs named as {@link RemoteLayout#name}, created with
 * {@code If-None-Match: *} (a taken name answers 409 BlobAlreadyExists).
 */
public final class InMemoryBlobContainer implements ObjectStore {
    private final String container;
    private final RemoteLayout layout;
    final Map<String, byte[]> blobs = new ConcurrentSkipListMap<>();
    /** A part whose upload fails with 503 ServerBusy, for rollback tests. */
    volatile KeyFileKind failOn;

    public InMemoryBlobContainer(String container, RemoteLayout layout) {
        this.container = container;
        this.layout = layout;
    }

    @Override
    public void create(String keyId, KeyFileKind kind, StagedKeySet staged, String saveId) throws IOException {
        if (kind == failOn) {
            throw new KeygenException(KeygenException.Kind.STORE, "ServerBusy: the server is busy (HTTP 503)");
        }
        byte[] body;
        try (InputStream in = staged.get(kind).open()) {
            body = in.readAllBytes();
        }
        if (blobs.putIfAbsent(layout.name(keyId, kind), body) != null) {
            throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "BlobAlreadyExists (HTTP 409)");
        }
    }

    @Override
    public boolean exists(String keyId, KeyFileKind kind) {
        return blobs.containsKey(layout.name(keyId, kind));
    }

    @Override
    public InputStream open(String keyId, KeyFileKind kind) {
        byte[] body = blobs.get(layout.name(keyId, kind));
        if (body == null) {
            throw new KeygenException(KeygenException.Kind.STORE, "BlobNotFound (HTTP 404)");
        }
        return new ByteArrayInputStream(body);
    }

    @Override
    public void delete(String keyId, KeyFileKind kind) {
        blobs.remove(layout.name(keyId, kind));
    }

    @Override
    public Set<String> ids() {
        return layout.idsHolding(blobs.keySet(), KeyFileKind.ENCKEY, KeyFileKind.EVALKEY);
    }

    @Override
    public String where(String keyId, KeyFileKind kind) {
        return "https://account.blob.core.windows.net/" + container + "/" + layout.name(keyId, kind);
    }
}
