package io.evkeygen.gcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.evkeygen.spi.remote.StagedBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's Cloud Storage calls (GcsObjects) on Google's own in-memory storage, LocalStorageHelper
 * from google-cloud-nio: a second, independent implementation of the storage API. (It has no
 * buckets to get, so the whole store, which checks its bucket first, runs on FakeGcsServer.)
 */
class GcpLocalStorageHelperTest {
    @TempDir
    Path tmp;

    @Test
    void createOnlyIfAbsentReadListAndDelete() throws IOException {
        Storage storage = LocalStorageHelper.getOptions().getService();
        GcsObjects gcs = new GcsObjects(storage, "mem-bucket");
        byte[] data = new byte[3 << 20];
        new Random(7).nextBytes(data);
        try (StagedBlob blob = new StagedBlob(tmp, 1 << 20)) { // spilled to a file: streamed from disk
            try (OutputStream out = blob.output()) {
                out.write(data);
            }
            assertFalse(blob.inMemory());
            gcs.create("envector/keys/k/eval_blob.json", blob);
            assertEquals("application/json",
                    storage.get(BlobId.of("mem-bucket", "envector/keys/k/eval_blob.json")).getContentType());
            // ifGenerationMatch=0 refuses an existing object (LocalStorageHelper reports it without the 412)
            assertThrows(StorageException.class, () -> gcs.create("envector/keys/k/eval_blob.json", blob));
        }
        assertTrue(gcs.exists("envector/keys/k/eval_blob.json"));
        try (InputStream in = gcs.open("envector/keys/k/eval_blob.json")) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertEquals(List.of("envector/keys/k/eval_blob.json"), gcs.names("envector/keys/"));
        assertEquals(List.of(), gcs.names("other/"));
        gcs.delete("envector/keys/k/eval_blob.json");
        gcs.delete("envector/keys/k/eval_blob.json"); // missing: fine
        assertFalse(gcs.exists("envector/keys/k/eval_blob.json"));
    }
}
