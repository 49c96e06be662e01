package io.evkeygen.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** pyenvector 1.5's names: objects under the prefix, secret ids sanitized, prefixed and cut to 255. */
class GcpLayoutTest {
    @Test
    void defaultNames() {
        GcpLayout l = new GcpLayout(null);
        assertEquals("envector/keys/k/enc_blob.json", l.objectName("k", KeyFileKind.ENCKEY));
        assertEquals("envector/keys/k/eval_blob.json", l.objectName("k", KeyFileKind.EVALKEY));
        assertEquals("envector-keys-k-sec_blob", l.secretId("k", KeyFileKind.SECKEY));
        assertEquals("envector-keys-k-metadata_blob", l.secretId("k", KeyFileKind.METADATAKEY));
        assertEquals("envector-keys-", l.secretIdPrefix());
        assertEquals("k", l.keyIdOf("envector/keys/k/enc_blob.json", KeyFileKind.ENCKEY));
        assertNull(l.keyIdOf("envector/keys/k/enc_blob.json", KeyFileKind.EVALKEY));
    }

    @Test
    void sanitizing() {
        assertEquals("team-a-my-key-v1-2-sec_blob", new GcpLayout("team.a").secretId("my key:v1.2", KeyFileKind.SECKEY));
        assertEquals("envector-1prod-k-sec_blob", new GcpLayout("1prod").secretId("k", KeyFileKind.SECKEY));
        assertEquals("envector-_x-k-sec_blob", new GcpLayout("_x").secretId("k", KeyFileKind.SECKEY));
        assertEquals("envector--x-k-sec_blob", GcpLayout.sanitize("-x-k-sec_blob"));
        assertEquals("caf--k", GcpLayout.sanitize("café-k").replace("--", "--"));
        String longId = "a".repeat(250);
        String id = new GcpLayout(null).secretId(longId, KeyFileKind.METADATAKEY);
        assertEquals(255, id.length());
        assertEquals(("envector-keys-" + longId).substring(0, 255), id);
    }

    @Test
    void projectComesFromTheVariablesInOrder() {
        Map<String, String> env = Map.of("GCP_PROJECT", "second", "GCLOUD_PROJECT", "third");
        assertEquals("second", GcpStoreConfig.of(null, "b", null, env::get).project());
        assertEquals("first", GcpStoreConfig.of(null, "b", null,
                Map.of("GOOGLE_CLOUD_PROJECT", "first", "GCP_PROJECT", "second")::get).project());
        assertEquals("third", GcpStoreConfig.of(null, "b", null, Map.of("GCLOUD_PROJECT", "third")::get).project());
        assertEquals("given", GcpStoreConfig.of("given", "b", null, env::get).project());
        GcpStoreConfig c = GcpStoreConfig.of("p", "b", null, Map.of("STORAGE_EMULATOR_HOST", "127.0.0.1:9",
                "SECRET_MANAGER_EMULATOR_HOST", "127.0.0.1:10")::get);
        assertEquals("http://127.0.0.1:9", c.storageHost());
        assertEquals("127.0.0.1:10", c.secretManagerEndpoint());
        KeygenException e = assertThrows(KeygenException.class, () -> new GcpStoreConfig("p", " ", null, null, null, null));
        assertEquals(KeygenException.Setting.BUCKET, e.setting().orElseThrow());
    }
}
