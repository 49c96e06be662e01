package io.evkeygen.kms.server;

import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeySetWriter;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.RecordStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;

/** A store that answers as {@code inner} until {@link #failWith} is set, then fails every call with it. */
final class FakeBrokenKeyStore implements KeyStore {
    private final KeyStore inner;
    volatile IOException failWith;

    FakeBrokenKeyStore(KeyStore inner) {
        this.inner = inner;
    }

    private void check() throws IOException {
        IOException f = failWith;
        if (f != null) {
            throw f;
        }
    }

    @Override
    public String save(String keyId, KeySetWriter writer) throws IOException {
        check();
        return inner.save(keyId, writer);
    }

    @Override
    public Set<KeyFileKind> parts(String keyId) throws IOException {
        check();
        return inner.parts(keyId);
    }

    @Override
    public InputStream open(String keyId, KeyFileKind kind) throws IOException {
        check();
        return inner.open(keyId, kind);
    }

    @Override
    public void delete(String keyId) throws IOException {
        check();
        inner.delete(keyId);
    }

    @Override
    public List<String> list() throws IOException {
        check();
        return inner.list();
    }

    @Override
    public RecordStore records(String namespace) {
        return inner.records(namespace);
    }
}
