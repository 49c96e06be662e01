package io.evkeygen.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.spi.remote.StagedBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** A spilled blob larger than one part goes up in parts, streamed from its file, and reads back intact. */
class S3ObjectsMultipartTest {
    @TempDir
    Path tmp;

    @Test
    void largeBlobIsUploadedInPartsFromItsSpillFile() throws Exception {
        AwsTestServers servers = AwsTestServers.get();
        String bucket = servers.newBucket();
        byte[] data = new byte[(int) (2 * AwsStoreConfig.MIN_PART_SIZE + 12345)];
        new Random(7).nextBytes(data);
        try (StagedBlob blob = new StagedBlob(tmp, 1 << 20); S3Client s3 = servers.s3()) {
            try (OutputStream out = blob.output()) {
                for (int off = 0; off < data.length; off += 65536) {
                    out.write(data, off, Math.min(65536, data.length - off));
                }
            }
            assertFalse(blob.inMemory(), "spilled to disk above the memory limit");
            S3Objects objects = new S3Objects(s3, bucket, AwsStoreConfig.MIN_PART_SIZE);
            objects.put("big/eval_blob.json", blob, "writer-1", true);
            assertTrue(objects.exists("big/eval_blob.json"));
            String etag = s3.headObject(r -> r.bucket(bucket).key("big/eval_blob.json")).eTag();
            assertTrue(etag.endsWith("-3\""), "a three-part upload: " + etag);
            try (InputStream in = objects.open("big/eval_blob.json")) {
                assertArrayEquals(data, in.readAllBytes());
            }
            assertEquals(0, s3.listMultipartUploads(r -> r.bucket(bucket)).uploads().size(), "no upload left open");
            // a second writer's conditional multipart upload to the same key is refused, and aborted
            software.amazon.awssdk.core.exception.SdkException e = assertThrows(
                    software.amazon.awssdk.core.exception.SdkException.class,
                    () -> objects.put("big/eval_blob.json", blob, "writer-2", true));
            assertTrue(S3Objects.preconditionFailed(e), e.toString());
            assertEquals("writer-1", objects.writerOf("big/eval_blob.json"));
            assertEquals(0, s3.listMultipartUploads(r -> r.bucket(bucket)).uploads().size(), "no upload left open");
            assertFalse(objects.deleteIfWrittenBy("big/eval_blob.json", "writer-2"), "another writer's object stays");
            assertTrue(objects.exists("big/eval_blob.json"));
            assertTrue(objects.deleteIfWrittenBy("big/eval_blob.json", "writer-1"));
            assertFalse(objects.exists("big/eval_blob.json"));
        }
        assertEquals(java.util.List.of(), io.evkeygen.TestSupport.list(tmp), "spill file deleted on close");
    }

    @Test
    void layoutNames() throws IOException {
        AwsLayout l = new AwsLayout("");
        assertEquals("envector/keys/k/sec_blob", l.name("k", io.evkeygen.keyset.KeyFileKind.SECKEY));
        assertEquals("envector/keys/k/metadata_blob", l.name("k", io.evkeygen.keyset.KeyFileKind.METADATAKEY));
        assertEquals("envector/keys/k/enc_blob.json", l.name("k", io.evkeygen.keyset.KeyFileKind.ENCKEY));
        assertEquals("envector/keys/k/eval_blob.json", l.name("k", io.evkeygen.keyset.KeyFileKind.EVALKEY));
        assertEquals("p/q/k/sec_blob", new AwsLayout("/p/q/").name("k", io.evkeygen.keyset.KeyFileKind.SECKEY));
        assertEquals("k", l.keyIdOf("envector/keys/k/sec_blob", io.evkeygen.keyset.KeyFileKind.SECKEY));
        assertEquals(null, l.keyIdOf("envector/keys/a/b/sec_blob", io.evkeygen.keyset.KeyFileKind.SECKEY));
    }
}
