package io.evkeygen.spi.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evkeygen.aws.AwsLayout;
import io.evkeygen.error.KeygenException;
import io.evkeygen.gcp.GcpLayout;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.vault.VaultLayout;
import org.junit.jupiter.api.Test;

/** The Python SDK's part names, shared by the S3, Cloud Storage and Vault layouts. */
class BlobNamesTest {

    @Test
    void prefixDropsSlashesAndDefaults() {
        assertEquals("a/b", BlobNames.prefix(" /a/b// "));
        assertEquals(BlobNames.DEFAULT_PREFIX, BlobNames.prefix("//"));
        assertEquals(BlobNames.DEFAULT_PREFIX, BlobNames.prefix(null));
    }

    @Test
    void aPrefixMustStayInItsPlaceInEveryStore() {
        for (String bad : new String[] {"../../sys", "a/../../b", "a/..", "./a", "a/./b", "a//b", "a/\u0000b", "a\nb",
                "a/\u001b[2J"}) {
            for (Runnable layout : new Runnable[] {() -> BlobNames.prefix(bad), () -> new AwsLayout(bad),
                    () -> new GcpLayout(bad), () -> new VaultLayout(bad)}) {
                KeygenException e = assertThrows(KeygenException.class, layout::run, bad);
                assertEquals(KeygenException.Kind.USAGE, e.kind());
                assertEquals(KeygenException.Setting.PREFIX, e.setting().orElseThrow());
            }
        }
        assertEquals("a/..b/c.d", BlobNames.prefix("a/..b/c.d"), "dots inside a segment are a name");
    }

    @Test
    void pathsAndTheirKeyIdsRoundTrip() {
        String root = "envector/keys/";
        for (KeyFileKind kind : KeyFileKind.values()) {
            String path = BlobNames.path(root, "tenant-1", kind);
            assertEquals(root + "tenant-1/" + BlobNames.blobName(kind), path);
            assertEquals("tenant-1", BlobNames.keyIdOf(root, path, kind));
        }
        assertThrows(KeygenException.class, () -> BlobNames.path(root, "../x", KeyFileKind.SECKEY));
    }

    @Test
    void namesWeWouldNotWriteAreNotKeyIds() {
        String root = "p/";
        assertNull(BlobNames.keyIdOf(root, "p/sec_blob", KeyFileKind.SECKEY), "root and blob name overlap, no id");
        assertNull(BlobNames.keyIdOf(root, "p//sec_blob", KeyFileKind.SECKEY), "empty id");
        assertNull(BlobNames.keyIdOf(root, "q/a/sec_blob", KeyFileKind.SECKEY), "another prefix");
        assertNull(BlobNames.keyIdOf(root, "p/a/enc_blob.json", KeyFileKind.SECKEY), "another kind");
        assertNull(BlobNames.keyIdOf(root, "p/a/b/sec_blob", KeyFileKind.SECKEY), "not a key id");
    }
}
