package io.evkeygen.aws;

import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.remote.RecordStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The AWS store's records (S3 objects, {@code If-None-Match} / {@code If-Match}) against S3Proxy. */
class AwsRecordsTest extends RecordStoreContract {
    private AwsKeyStore store;

    @BeforeEach
    void start() throws Exception {
        AwsTestServers servers = AwsTestServers.get();
        store = new AwsKeyStore(servers.config(servers.newBucket()));
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Override
    protected KeyStore store() {
        return store;
    }
}
