package io.evkeygen.spi.remote;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import java.io.InputStream;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link ObjectStore} of a {@link BucketClient} laid out by a {@link RemoteLayout}: each part is the
 * object {@link RemoteLayout#name}, and the client's exceptions (of type {@code E}) become the
 * adapter's failures. An adapter whose service needs more (S3's writer markers) extends it.
 */
public class BucketObjects<E extends RuntimeException> implements ObjectStore {
    private final RemoteLayout layout;
    private final BucketClient bucket;
    private final Class<E> clientException;
    private final Function<E, KeygenException> failure;

    public BucketObjects(RemoteLayout layout, BucketClient bucket, Class<E> clientException, Function<E, KeygenException> failure) {
        this.layout = layout;
        this.bucket = bucket;
        this.clientException = clientException;
        this.failure = failure;
    }

    /** The object name of a part. */
    protected final String name(String keyId, KeyFileKind kind) {
        return layout.name(keyId, kind);
    }

    /** Runs a client call, mapping its exceptions to the adapter's failure. */
    protected final <T> T call(Supplier<T> clientCall) {
        return ServiceCalls.call(clientException, failure, clientCall);
    }

    @Override
    public void requireReady() {
        bucket.requireBucket();
    }

    @Override
    public void create(String keyId, KeyFileKind kind, StagedKeySet staged, String saveId) {
        ServiceCalls.run(clientException, failure, () -> bucket.create(name(keyId, kind), staged.get(kind), saveId));
    }

    @Override
    public boolean exists(String keyId, KeyFileKind kind) {
        return call(() -> bucket.exists(name(keyId, kind)));
    }

    @Override
    public InputStream open(String keyId, KeyFileKind kind) {
        return call(() -> bucket.open(name(keyId, kind)));
    }

    @Override
    public void delete(String keyId, KeyFileKind kind) {
        ServiceCalls.run(clientException, failure, () -> bucket.delete(name(keyId, kind)));
    }

    /** One listing under the layout's root. */
    @Override
    public Set<String> ids() {
        try {
            return call(() -> layout.idsHolding(bucket.names(layout.root()), KeyFileKind.ENCKEY, KeyFileKind.EVALKEY));
        } catch (KeygenException e) {
            throw new KeygenException(e.kind(), "listing " + bucket.url(layout.root()) + ": " + e.getMessage(),
                    e.setting().orElse(null), e.getCause() == null ? e : e.getCause());
        }
    }

    @Override
    public String where(String keyId, KeyFileKind kind) {
        return bucket.url(name(keyId, kind));
    }
}
