package io.evkeygen.azure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeySetWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A store written outside the product (Azure, in memory) gets every guarantee of the remote-store
 * template from its two ports alone: refusal of a taken id, upload order, rollback newest first with
 * a one-line error, deletion and listing.
 */
class InMemoryAzureKeyStoreTest {
    private final InMemoryAzureKeyStore store = new InMemoryAzureKeyStore(null);

    private static byte[] envelope(KeyFileKind kind) {
        return ("{\"format\":\"" + kind.format() + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes a (fake) envelope per kind, calling {@code during} once all are written. */
    private static KeySetWriter writer(Runnable during) {
        return writer(during, 0);
    }

    /** The same with SecKey padded by {@code secKeyPadding} bytes. */
    private static KeySetWriter writer(Runnable during, int secKeyPadding) {
        return sink -> {
            for (KeyFileKind kind : KeyFileKind.values()) {
                try (OutputStream out = sink.open(kind)) {
                    out.write(envelope(kind));
                    out.write(new byte[kind == KeyFileKind.SECKEY ? secKeyPadding : 0]);
                }
            }
            during.run();
        };
    }

    @Test
    void savesListsOpensAndDeletes() throws IOException {
        String location = store.save("a", writer(() -> {}));
        assertTrue(location.contains("/keys/envector/keys/a/") && location.contains("envector-keys-a-sec-blob"), location);
        assertEquals(EnumSet.allOf(KeyFileKind.class), store.parts("a"));
        assertEquals(Set.of("envector/keys/a/enc_blob.json", "envector/keys/a/eval_blob.json"), store.blobs().blobs.keySet());
        assertEquals(Set.of("envector-keys-a-metadata-blob", "envector-keys-a-sec-blob"), store.vault().secrets.keySet());
        assertEquals(List.of("a"), store.list());
        for (KeyFileKind kind : KeyFileKind.values()) {
            try (InputStream in = store.open("a", kind)) {
                assertArrayEquals(envelope(kind), in.readAllBytes(), kind.fileName());
            }
        }
        store.delete("a");
        assertEquals(Set.of(), store.parts("a"));
        assertEquals(List.of(), store.list());
    }

    @Test
    void refusesAKeyIdThatHoldsAnyPartBeforeWriting() throws IOException {
        store.save("a", writer(() -> {}));
        store.vault().secrets.remove(store.vault().secretName("a", KeyFileKind.SECKEY)); // only part of it left
        boolean[] ran = {false};
        KeygenException e = assertThrows(KeygenException.class, () -> store.save("a", writer(() -> ran[0] = true)));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind());
        assertTrue(e.getMessage().contains("refusing to overwrite"), e.getMessage());
        assertTrue(!ran[0], "refused before the writer ran");
    }

    @Test
    void aFailedUploadRollsBackNewestFirstAndNamesThePart() {
        store.vault().failOn = KeyFileKind.SECKEY;
        KeygenException e = assertThrows(KeygenException.class, () -> store.save("a", writer(() -> {})));
        assertEquals(KeygenException.Kind.STORE, e.kind());
        assertEquals("uploading SecKey.json to https://evkeygen.vault.azure.net/secrets/envector-keys-a-sec-blob failed:"
                + " Forbidden: the caller may not set secrets (HTTP 403); rolled back EvalKey.json, EncKey.json,"
                + " MetadataKey.json", e.getMessage());
        assertEquals(Set.of(), store.parts("a"));

        store.vault().failOn = null;
        store.blobs().failOn = KeyFileKind.ENCKEY;
        e = assertThrows(KeygenException.class, () -> store.save("a", writer(() -> {})));
        assertTrue(e.getMessage().startsWith("uploading EncKey.json to https://account.blob.core.windows.net/keys/"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("ServerBusy: the server is busy (HTTP 503); rolled back EvalKey.json"),
                e.getMessage());
        assertEquals(Set.of(), store.parts("a"));
    }

    /** Another writer takes the id after the existence check: TARGET_EXISTS naming the key id, ours rolled back. */
    @Test
    void aWriterThatLosesTheRaceIsRefusedAndRollsBack() {
        InMemoryKeyVault vault = store.vault();
        String theirs = "{\"theirs\":1}";
        KeygenException e = assertThrows(KeygenException.class, () -> store.save("a",
                writer(() -> vault.secrets.put(vault.secretName("a", KeyFileKind.SECKEY), theirs))));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind());
        assertEquals(Optional.of(KeygenException.Setting.KEY_ID), e.setting());
        assertTrue(e.getMessage().contains("key id a was taken by another writer meanwhile")
                && e.getMessage().endsWith("rolled back EvalKey.json, EncKey.json, MetadataKey.json"), e.getMessage());
        assertEquals(EnumSet.of(KeyFileKind.SECKEY), store.parts("a"));
        assertEquals(theirs, vault.secrets.get(vault.secretName("a", KeyFileKind.SECKEY)));
    }

    @Test
    void listsOnlyCompleteSetsAndRefusesAnOversizedSecretBeforeUploading() throws IOException {
        store.save("a", writer(() -> {}));
        store.save("b", writer(() -> {}));
        store.vault().secrets.remove(store.vault().secretName("b", KeyFileKind.SECKEY));
        assertEquals(List.of("a"), store.list());

        KeygenException e = assertThrows(KeygenException.class,
                () -> store.save("c", writer(() -> {}, InMemoryKeyVault.MAX_VALUE_BYTES)));
        assertTrue(e.getMessage().contains("over the Azure Key Vault limit of 25600 bytes: nothing uploaded"), e.getMessage());
        assertEquals(Set.of(), store.parts("c"));
    }
}
