package io.evkeygen.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.RecordStore;
import io.evkeygen.spi.remote.RecordStoreContract;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The AWS store's records (S3 objects, {@code If-None-Match} / {@code If-Match}) against S3Proxy, which
 * honours both conditions on PutObject but checks them before writing, not atomically as S3 does: the
 * store under test sends its conditional puts one at a time ({@link S3Interceptors#atomicConditionalPuts})
 * so that the races test this code, not S3Proxy's gap. An endpoint that ignores the conditions is made
 * by removing the headers.
 */
class AwsRecordsTest extends RecordStoreContract {
    private AwsTestServers servers;
    private String bucket;
    private AwsKeyStore store;
    private final List<AwsKeyStore> others = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        servers = AwsTestServers.get();
        bucket = servers.newBucket();
        store = store(S3Interceptors.atomicConditionalPuts());
    }

    @AfterEach
    void stop() {
        others.forEach(AwsKeyStore::close);
    }

    @Override
    protected KeyStore store() {
        return store;
    }

    private AwsKeyStore store(ExecutionInterceptor... interceptors) {
        AwsStoreConfig c = servers.config(bucket);
        AwsKeyStore s = new AwsKeyStore(c, AwsTestServers.s3(c, interceptors), AwsClients.secrets(c));
        others.add(s);
        return s;
    }

    private List<String> objectKeys() {
        try (S3Client s3 = servers.s3()) {
            return s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
        }
    }

    @Test
    void theTagIsTheETagAndTheRecordIsOneObjectBesideTheKeySets() throws Exception {
        RecordStore records = store.records("kms");
        records.create("k1", "v1".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("envector/keys/.kms-records/k1.json"), objectKeys(), "the probe is gone too");
        try (S3Client s3 = servers.s3()) {
            String etag = s3.headObject(r -> r.bucket(bucket).key("envector/keys/.kms-records/k1.json")).eTag();
            assertEquals(etag, records.read("k1").orElseThrow().tag());
        }
    }

    @Test
    void anEndpointIgnoringConditionsIsRefusedBeforeAnyRecordIsWritten() {
        for (String header : List.of("If-None-Match", "If-Match")) {
            RecordStore records = store(S3Interceptors.removeHeaders(header)).records("kms");
            KeygenException e = assertThrows(KeygenException.class, () -> records.create("k1", new byte[] {1}));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertTrue(e.getMessage().contains("ignores If-None-Match or If-Match"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertEquals(List.of(), objectKeys(), header + ": nothing written, the probe deleted");
        }
    }

    @Test
    void aRetriedCreateOrReplaceWhoseFirstAttemptLandedIsAWin() throws Exception {
        RecordStore records = store(S3Interceptors.dropFirstPutResponse(p -> p.endsWith("/k1.json"))).records("kms");
        assertTrue(records.create("k1", "v1".getBytes(StandardCharsets.UTF_8)), "the retry met its own object");
        String tag = records.read("k1").orElseThrow().tag();
        RecordStore again = store(S3Interceptors.dropFirstPutResponse(p -> p.endsWith("/k1.json"))).records("kms");
        assertTrue(again.replace("k1", "v2".getBytes(StandardCharsets.UTF_8), tag), "the retry met its own object");
        assertBytes("v2", records.read("k1").orElseThrow().bytes());
        assertFalse(store.records("kms").create("k1", new byte[] {1}), "another writer still loses");
    }
}
