package io.evkeygen.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.FakeTricklingServer;
import io.evkeygen.error.KeygenException;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.RecordStore;
import io.evkeygen.spi.remote.RecordStoreContract;
import io.evkeygen.spi.remote.StoreAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Vault store's records (KV v2 {@code cas}) against the fake Vault, which enforces check-and-set. */
class VaultRecordsTest extends RecordStoreContract {
    private static final String TOKEN = "hvs.records-test-token";

    @TempDir
    Path tmp;

    private FakeVaultServer vault;
    private VaultKeyStore store;

    @BeforeEach
    void start() throws IOException {
        vault = new FakeVaultServer("kv-test", 2, TOKEN);
        store = new VaultKeyStore(config(2));
    }

    private VaultStoreConfig config(int kv) {
        return new VaultStoreConfig(vault.address(), SecretBytes.copyOf(TOKEN.getBytes(StandardCharsets.UTF_8)),
                "kv-test", kv, null, null, null, tmp.resolve("keys"));
    }

    @AfterEach
    void stop() {
        store.close();
        vault.close();
        assertEquals(List.of(), vault.problems(), "request shapes seen by the fake Vault");
    }

    @Override
    protected KeyStore store() {
        return store;
    }

    @Test
    void recordsLiveInTheKvMountNotBesideThePublicHalf() throws Exception {
        store.records("kms").create("k1", "{\"s\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Base64.getEncoder().encodeToString("{\"s\":1}".getBytes(StandardCharsets.UTF_8)),
                vault.values().get("envector/keys/.kms-records/k1.json"));
        assertFalse(Files.exists(tmp.resolve("keys")), "nothing local: every replica must see the record");
        assertTrue(vault.calls().contains("WRITE envector/keys/.kms-records/k1.json"));
    }

    @Test
    void aTagIsTheVersionAndADigest() throws Exception {
        RecordStore records = store.records("kms");
        records.create("k1", new byte[] {1});
        String tag = records.read("k1").orElseThrow().tag();
        assertTrue(tag.matches("1:[0-9a-f]{16}"), tag);
        assertFalse(records.replace("k1", new byte[] {2}, "1:0000000000000000"), "a digest of other bytes");
        assertFalse(records.replace("k1", new byte[] {2}, "garbage"));
        assertTrue(records.replace("k1", new byte[] {2}, tag));
        assertTrue(records.read("k1").orElseThrow().tag().startsWith("2:"));
    }

    @Test
    void kvVersion1IsRefusedInOneLineNamingKvV2() throws IOException {
        try (VaultKeyStore v1 = new VaultKeyStore(config(1))) {
            KeygenException e = assertThrows(KeygenException.class, () -> v1.records("kms"));
            assertEquals(KeygenException.Kind.USAGE, e.kind());
            assertTrue(e.getMessage().contains("KV v2"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void aVaultThatTricklesEndsAtTheDeadline() throws IOException {
        try (FakeTricklingServer trickling = new FakeTricklingServer();
             VaultKeyStore slow = new VaultKeyStore(new VaultStoreConfig(trickling.uri(),
                     SecretBytes.copyOf(TOKEN.getBytes(StandardCharsets.UTF_8)), "kv-test", 2, null, null, null,
                     tmp.resolve("keys"), StoreAccess.DEFAULT.withCallTimeout(Duration.ofSeconds(1))))) {
            KeygenException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(KeygenException.class, () -> slow.records("kms").create("k1", new byte[] {1})));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertEquals(KeygenException.Setting.STORE_TIMEOUT, e.setting().orElseThrow());
            assertTrue(e.getMessage().contains("within 1 s"), e.getMessage());
        }
    }

    @Test
    void aVaultErrorIsOneLineNamingTheRecordAndNeverTheToken() {
        vault.failCall(1, 403);
        KeygenException e = assertThrows(KeygenException.class, () -> store.records("kms").create("k1", new byte[] {1}));
        assertEquals(KeygenException.Kind.STORE, e.kind());
        assertTrue(e.getMessage().startsWith("creating record vault " + vault.address()
                + " kv-test/envector/keys/.kms-records/k1.json: permission denied (HTTP 403)"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN));
    }
}
