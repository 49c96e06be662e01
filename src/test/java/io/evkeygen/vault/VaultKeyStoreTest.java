package io.evkeygen.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.FakeTricklingServer;
import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.KeyStores;
import io.evkeygen.TestSupport;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.secret.Seed;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeySetWriter;
import io.evkeygen.testutil.SealTestKeys;
import io.evkeygen.testutil.SecretReplaceChecks;
import io.evkeygen.spi.remote.StoreAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Vault store against FakeVaultServer (KV v1 and v2), the public half in a local key directory. */
class VaultKeyStoreTest {
    private static final String SEED = "0123456789abcdef".repeat(8);
    private static final String TOKEN = "hvs.fake-token-for-tests";

    @TempDir
    Path tmp;

    private FakeVaultServer vault;

    @AfterEach
    void stop() {
        if (vault != null) {
            vault.close();
            assertEquals(List.of(), vault.problems(), "request shapes seen by the fake Vault");
        }
    }

    private VaultKeyStore store(int kv) throws IOException {
        vault = new FakeVaultServer("kv-test", kv, TOKEN);
        return new VaultKeyStore(config(vault.address(), TOKEN, kv, null));
    }

    private VaultStoreConfig config(URI address, String token, int kv, String namespace) {
        return new VaultStoreConfig(address, SecretBytes.copyOf(token.getBytes(StandardCharsets.UTF_8)), "kv-test", kv,
                namespace, null, null, tmp.resolve("keys"));
    }

    private KeyGenerator generator(String keyId) {
        return KeyGenerator.builder().keyPath(tmp.resolve("gen")).keyId(keyId).dims(32).threads(2)
                .seed(Seed.fromHex(SEED)).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void saveSplitsTheSetLoadVerifiesIt(int kv) throws IOException {
        try (VaultKeyStore store = store(kv)) {
            generator("demo").generateKeys(store);
            assertEquals(List.of("envector/keys/demo/metadata_blob", "envector/keys/demo/sec_blob"),
                    List.copyOf(vault.values().keySet()));
            assertEquals(List.of("EncKey.json", "EvalKey.json"), TestSupport.list(tmp.resolve("keys/demo")),
                    "only the public half is local");
            assertEquals(EnumSet.allOf(KeyFileKind.class), store.parts("demo"));
            assertTrue(store.exists("demo"));
            assertEquals(List.of("demo"), store.list());
            List<String> writes = vault.calls().stream().filter(c -> c.startsWith("WRITE")).toList();
            assertEquals(List.of("WRITE envector/keys/demo/metadata_blob", "WRITE envector/keys/demo/sec_blob"), writes,
                    "MetadataKey before SecKey");

            KeySet keys = KeySet.load(store, "demo", tmp.resolve("downloaded"));
            assertTrue(keys.hasMetadataKey());
            try (InputStream in = store.open("demo", KeyFileKind.SECKEY)) {
                byte[] sec = in.readAllBytes();
                assertArrayEquals(Files.readAllBytes(tmp.resolve("downloaded/demo/SecKey.json")), sec);
                assertEquals(vault.values().get("envector/keys/demo/sec_blob"), new String(sec, StandardCharsets.UTF_8));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void refusesAnExistingKeyIdLocalOrRemote(int kv) throws IOException {
        try (VaultKeyStore store = store(kv)) {
            AtomicBoolean generated = new AtomicBoolean();
            vault.put("envector/keys/remote/sec_blob", "{}");
            KeygenException e = assertThrows(KeygenException.class, () -> store.save("remote", sink -> generated.set(true)));
            assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind());
            assertTrue(e.getMessage().contains("SecKey.json"), e.getMessage());
            Files.createDirectories(tmp.resolve("keys/local"));
            Files.writeString(tmp.resolve("keys/local/EncKey.json"), "{}");
            e = assertThrows(KeygenException.class, () -> store.save("local", sink -> generated.set(true)));
            assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind());
            assertTrue(e.getMessage().contains("EncKey.json"), e.getMessage());
            assertFalse(generated.get());
            assertFalse(store.exists("remote"));
        }
    }

    @Test
    void aSecretWrittenMeanwhileIsNotOverwrittenOnKv2() throws IOException {
        try (VaultKeyStore store = store(2)) {
            Path dir = generator("race").generateKeys();
            KeySetWriter racing = sink -> {
                copy(dir, sink);
                vault.put("envector/keys/race/sec_blob", "theirs");
            };
            KeygenException e = assertThrows(KeygenException.class, () -> store.save("race", racing));
            assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("rolled back EvalKey.json, EncKey.json, MetadataKey.json"), e.getMessage());
            assertEquals(Map.of("envector/keys/race/sec_blob", "theirs"), vault.values());
            assertFalse(Files.exists(tmp.resolve("keys/race")));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void failedSecKeyWriteRollsBackEverything(int kv) throws IOException {
        try (VaultKeyStore store = store(kv)) {
            // calls: 2 existence checks, (v1: existence check before each write) metadata write, sec write
            vault.failCall(kv == 2 ? 4 : 6, 403);
            KeygenException e = assertThrows(KeygenException.class, () -> generator("half").generateKeys(store));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            String msg = e.getMessage();
            assertTrue(msg.contains("SecKey.json") && msg.contains("kv-test/envector/keys/half/sec_blob"), msg);
            assertTrue(msg.contains("permission denied (HTTP 403)"), msg);
            assertTrue(msg.contains("rolled back EvalKey.json, EncKey.json, MetadataKey.json"), msg);
            assertFalse(msg.contains(TOKEN));
            assertEquals(Map.of(), vault.values());
            assertFalse(Files.exists(tmp.resolve("keys/half")));
            generator("half").generateKeys(store);
            assertTrue(store.exists("half"));
        }
    }

    @Test
    void wrongTokenIsAStoreErrorWithoutTheToken() throws IOException {
        vault = new FakeVaultServer("kv-test", 2, TOKEN);
        try (VaultKeyStore denied = new VaultKeyStore(config(vault.address(), "hvs.wrong", 2, null))) {
            KeygenException e = assertThrows(KeygenException.class, () -> denied.parts("x"));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertTrue(e.getMessage().contains("permission denied (HTTP 403)"), e.getMessage());
            assertFalse(e.getMessage().contains("hvs."), e.getMessage());
        }
    }

    @Test
    void namespaceHeaderIsSent() throws IOException {
        vault = new FakeVaultServer("kv-test", 2, TOKEN);
        vault.expectNamespace("team/a");
        try (VaultKeyStore store = new VaultKeyStore(config(vault.address(), TOKEN, 2, "/team/a/"))) {
            generator("ns").generateKeys(store);
            assertTrue(store.exists("ns"));
        }
    }

    @Test
    void nothingListeningIsOneLine() {
        VaultStoreConfig c = config(URI.create("http://127.0.0.1:1"), TOKEN, 2, null);
        try (VaultKeyStore store = new VaultKeyStore(c)) {
            KeygenException e = assertThrows(KeygenException.class, () -> store.parts("x"));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertTrue(e.getMessage().contains("cannot connect to http://127.0.0.1:1"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void deleteSecKeyFirstAndListSkipsIncompleteSets(int kv) throws IOException {
        try (VaultKeyStore store = store(kv)) {
            for (String id : List.of("a", "b", "c")) {
                generator(id).generateKeys(store);
            }
            Files.delete(tmp.resolve("keys/b/EvalKey.json"));
            assertEquals(List.of("a", "c"), store.list());
            int before = vault.calls().size();
            store.delete("a");
            List<String> deletes = vault.calls().subList(before, vault.calls().size());
            assertTrue(deletes.get(0).endsWith("envector/keys/a/sec_blob") && deletes.get(1).endsWith("envector/keys/a/metadata_blob"),
                    deletes.toString());
            assertEquals(EnumSet.noneOf(KeyFileKind.class), store.parts("a"));
            assertFalse(Files.exists(tmp.resolve("keys/a")));
            store.delete("a"); // again: fine
            assertEquals(List.of("c"), store.list());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void replaceSecretWritesANewValueDestroysOldVersionsAndDestroySecretKeepsThePublicHalf(int kv) throws IOException {
        try (VaultKeyStore store = store(kv); KekProvider kek = KekProvider.aes(SealTestKeys.kek(42))) {
            SecretReplaceChecks.generateSealed(store, "rot", kek, tmp.resolve("gen"));
            String sec = "envector/keys/rot/sec_blob";
            byte[] encKey = Files.readAllBytes(tmp.resolve("keys/rot/EncKey.json"));
            SecretReplaceChecks.replaceBothAndCheck(store, "rot", kek, tmp.resolve("r1"));
            SecretReplaceChecks.replaceBothAndCheck(store, "rot", kek, tmp.resolve("r2"));
            List<String> versions = vault.versions(sec);
            if (kv == 2) {
                assertEquals(3, versions.size(), "each replace is one cas write");
                assertEquals(null, versions.get(0), "older versions destroyed");
                assertEquals(null, versions.get(1));
                assertTrue(vault.calls().contains("DESTROY " + sec), vault.calls().toString());
            } else {
                assertEquals(1, versions.size(), "KV v1 keeps no versions");
            }
            assertArrayEquals(encKey, Files.readAllBytes(tmp.resolve("keys/rot/EncKey.json")), "public half untouched");

            SecretReplaceChecks.destroyBothAndCheck(store, "rot");
            assertEquals(Map.of(), vault.values());
            assertEquals(List.of("EncKey.json", "EvalKey.json"), TestSupport.list(tmp.resolve("keys/rot")));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void replaceSecretOfAMissingSecretOrAFailingVaultIsAStoreError(int kv) throws IOException {
        try (VaultKeyStore store = store(kv)) {
            generator("plain").generateKeys(store);
            byte[] envelope = SecretReplaceChecks.missingSecretIsRefused(store, "plain", "no such secret");
            vault.failWriteTo("sec_blob", 503);
            SecretReplaceChecks.failedReplaceChangesNothing(store, "plain", envelope, "503");
        }
    }

    @Test
    void replaceOnKv2IsRefusedWhenAnotherWriterGotInBetween() throws IOException {
        try (VaultKeyStore store = store(2)) {
            generator("raced").generateKeys(store);
            byte[] envelope = SecretReplaceChecks.envelope(store, "raced", KeyFileKind.SECKEY);
            vault.raceNextWriteTo("raced/sec_blob");
            KeygenException e = assertThrows(KeygenException.class,
                    () -> store.replaceSecret("raced", KeyFileKind.SECKEY, envelope));
            assertTrue(e.getMessage().contains("another writer got in between"), e.getMessage());
            assertEquals(2, vault.versions("envector/keys/raced/sec_blob").size(), "the other writer's version kept");
            assertFalse(vault.calls().contains("DESTROY envector/keys/raced/sec_blob"), "nothing destroyed");
        }
    }

    @Test
    void tamperedSecretIsNotDownloaded() throws IOException {
        try (VaultKeyStore store = store(2)) {
            generator("bad").generateKeys(store);
            String sec = vault.values().get("envector/keys/bad/sec_blob");
            vault.put("envector/keys/bad/sec_blob", sec.replace("\"kid\":\"bad\"", "\"kid\":\"evil\""));
            KeygenException e = assertThrows(KeygenException.class, () -> KeyStores.download(store, "bad", tmp.resolve("dl")));
            assertEquals(KeygenException.Kind.INVALID_KEY, e.kind(), e.getMessage());
            assertEquals(List.of(), TestSupport.list(tmp.resolve("dl")));
        }
    }

    @Test
    void environmentSettings() {
        Map<String, String> env = Map.of("VAULT_ADDR", "https://vault.example:8200", "VAULT_TOKEN", "t",
                "VAULT_NAMESPACE", "ns1");
        VaultStoreConfig c = VaultStoreConfig.fromEnvironment(null, null, null, null, null, tmp, env::get);
        assertEquals(URI.create("https://vault.example:8200"), c.address());
        assertEquals("secret", c.mount());
        assertEquals(2, c.kvVersion());
        assertEquals("ns1", c.namespace());
        assertFalse(c.toString().contains("\"t\"") || c.toString().contains(", t,"), c.toString());
        VaultStoreConfig d = VaultStoreConfig.fromEnvironment(null, "/kv/", 1, null, null, tmp, Map.of("VAULT_TOKEN", "t")::get);
        assertEquals(URI.create(VaultStoreConfig.DEFAULT_ADDRESS), d.address());
        assertEquals("kv", d.mount());
        KeygenException e = assertThrows(KeygenException.class,
                () -> VaultStoreConfig.fromEnvironment(null, null, null, null, null, tmp, Map.<String, String>of()::get));
        assertEquals(KeygenException.Setting.VAULT, e.setting().orElseThrow());
        assertTrue(e.getMessage().contains("VAULT_TOKEN"));
        e = assertThrows(KeygenException.class, () -> VaultStoreConfig.fromEnvironment(null, null, null, null, null, tmp,
                Map.of("VAULT_TOKEN", "t", "VAULT_SKIP_VERIFY", "1")::get));
        assertTrue(e.getMessage().contains("always verified"), e.getMessage());
    }

    @Test
    void aTokenWithAControlCharacterIsRefusedWithoutQuotingIt() {
        String token = "hvs.CAES\u001b[2Jsecret-part";
        KeygenException e = assertThrows(KeygenException.class, () -> VaultStoreConfig.fromEnvironment(null, null, null,
                null, null, tmp, Map.of("VAULT_TOKEN", token)::get));
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        assertEquals("VAULT_TOKEN is not a valid token (control, space or non-ASCII characters)", e.getMessage());
        for (String bad : List.of("hvs.a b", "hvs.caf\u00e9", "hvs.\u007f", "s.x\ny")) {
            e = assertThrows(KeygenException.class, () -> config(URI.create("http://127.0.0.1:1"), bad, 2, null), bad);
            assertEquals(KeygenException.Kind.USAGE, e.kind());
            assertFalse(e.getMessage().contains(bad) || e.getMessage().contains("hvs."), e.getMessage());
        }
        config(URI.create("http://127.0.0.1:1"), "s.0123456789abcdefABCDEF-_~+/=", 2, null); // token68 and more: fine
    }

    @Test
    void plaintextToAnotherMachineIsRefusedUnlessAllowed() {
        VaultStoreConfig remote = config(URI.create("http://vault.example:8200"), TOKEN, 2, null);
        KeygenException e = assertThrows(KeygenException.class, () -> new VaultKeyStore(remote));
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        assertEquals(KeygenException.Setting.PLAINTEXT_REMOTE, e.setting().orElseThrow());
        assertTrue(e.getMessage().contains("http://vault.example:8200") && e.getMessage().contains("in clear"),
                e.getMessage());
        try (VaultKeyStore allowed = new VaultKeyStore(remote.withAccess(StoreAccess.DEFAULT.withPlaintextRemoteAllowed(true)))) {
            assertEquals(1, allowed.plaintextWarnings().size());
            assertTrue(allowed.plaintextWarnings().get(0).contains("Vault token"), allowed.plaintextWarnings().toString());
        }
        for (String local : List.of("http://127.0.0.1:8200", "http://127.9.9.9:8200", "http://localhost:8200",
                "http://[::1]:8200", "https://vault.example:8200")) {
            try (VaultKeyStore s = new VaultKeyStore(config(URI.create(local), TOKEN, 2, null))) {
                assertEquals(List.of(), s.plaintextWarnings(), local);
            }
        }
    }

    @Test
    void aVaultThatTricklesItsAnswerFailsAtTheDeadline() throws IOException {
        try (FakeTricklingServer trickling = new FakeTricklingServer();
             VaultKeyStore store = new VaultKeyStore(config(trickling.uri(), TOKEN, 2, null)
                     .withAccess(StoreAccess.DEFAULT.withCallTimeout(Duration.ofSeconds(1))))) {
            long start = System.nanoTime();
            KeygenException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(KeygenException.class, () -> store.parts("x")));
            assertTrue(System.nanoTime() - start < 10_000_000_000L, "took " + (System.nanoTime() - start) / 1_000_000 + " ms");
            assertEquals(KeygenException.Kind.STORE, e.kind(), e.getMessage());
            assertEquals(KeygenException.Setting.STORE_TIMEOUT, e.setting().orElseThrow());
            assertTrue(e.getMessage().contains("no complete answer from " + trickling.uri() + " within 1 s"), e.getMessage());
        }
    }

    @Test
    void aPrefixThatLeavesItsPlaceIsRefusedBeforeAnyRequest() throws IOException {
        vault = new FakeVaultServer("kv-test", 2, TOKEN);
        for (String prefix : List.of("../../sys", "envector/../../sys", "a//b", "./a", "a/\u0007")) {
            KeygenException e = assertThrows(KeygenException.class, () -> new VaultKeyStore(new VaultStoreConfig(
                    vault.address(), SecretBytes.copyOf(TOKEN.getBytes(StandardCharsets.UTF_8)), "kv-test", 2, null,
                    prefix, null, tmp.resolve("keys"))), prefix);
            assertEquals(KeygenException.Kind.USAGE, e.kind());
            assertEquals(KeygenException.Setting.PREFIX, e.setting().orElseThrow());
        }
        assertEquals(List.of(), vault.calls());
    }

    static void copy(Path dir, io.evkeygen.spi.KeyFileSink sink) throws IOException {
        for (KeyFileKind k : KeyFileKind.values()) {
            Path f = dir.resolve(k.fileName());
            if (Files.exists(f)) {
                try (OutputStream out = sink.open(k)) {
                    Files.copy(f, out);
                }
            }
        }
    }
}
