package io.evkeygen.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.RecordStore;
import io.evkeygen.spi.remote.RecordStoreContract;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Google Cloud store's records (Cloud Storage objects, {@code ifGenerationMatch}) through the real
 * client against the fake Cloud Storage, which refuses a stale generation with 412.
 */
class GcpRecordsTest extends RecordStoreContract {
    private static final String BUCKET = "records";

    private GcpTestServers servers;
    private GcpKeyStore store;

    @BeforeEach
    void start() throws Exception {
        servers = GcpTestServers.get();
        store = new GcpKeyStore(servers.config(BUCKET));
    }

    @AfterEach
    void stop() {
        store.close();
        assertEquals(List.of(), servers.gcs().problems(), "request shapes seen by the fake GCS");
    }

    @Override
    protected KeyStore store() {
        return store;
    }

    @Test
    void theTagIsTheObjectsGenerationAndTheNameIsHidden() throws Exception {
        RecordStore records = store.records("kms");
        records.create("k1", "v1".getBytes(StandardCharsets.UTF_8));
        FakeGcsServer.StoredObject o = servers.gcs().objects(BUCKET).get("envector/keys/.kms-records/k1.json");
        assertEquals(Long.toString(o.generation()), records.read("k1").orElseThrow().tag());
        assertFalse(records.replace("k1", new byte[] {1}, "not-a-generation"));
        assertFalse(records.replace("k1", new byte[] {1}, Long.toString(o.generation() - 1)));
        assertTrue(records.replace("k1", new byte[] {2}, Long.toString(o.generation())));
    }

    @Test
    void aServiceErrorIsOneLineNamingTheRecord() {
        servers.gcs().failCalls(1, 10, 403, "forbidden");
        KeygenException e = assertThrows(KeygenException.class, () -> store.records("kms").read("k1"));
        assertEquals(KeygenException.Kind.STORE, e.kind());
        assertTrue(e.getMessage().startsWith("reading record gs://" + BUCKET + "/envector/keys/.kms-records/k1.json: "),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
