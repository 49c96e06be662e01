package io.evkeygen.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.KeyStores;
import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK entry point (ev.init for keys) end to end against {@link FakeEnvectorServer}. */
class EnvectorKeysTest {
    @TempDir
    Path keys;

    @Test
    void generatesRegistersUnloadsOthersAndLoadsThenASecondRunOnlyLoads() throws Exception {
        try (FakeEnvectorServer s = FakeEnvectorServer.plaintext();
             EnvectorClient c = EnvectorClient.builder(s.address()).insecure().build()) {
            s.preload("previous", true);
            KeyGenerator gen = KeyGenerator.builder().keyPath(keys).keyId("app").dims(64, 128).build();

            ActivationReport first = EnvectorKeys.init(c, gen, true, UploadProgress.NONE);
            assertEquals(new ActivationReport("app", true, true, true, List.of("previous"), true, ServerApi.V2,
                    Optional.of("1.5.0")), first);
            assertTrue(Files.isRegularFile(keys.resolve("app/EvalKey.json")));
            assertArrayEquals(KeySet.load(keys.resolve("app")).evalKeyBytes(), s.keys.get("app").payload());
            assertEquals("app", s.loaded);

            s.loaded = null; // the server restarted without a loaded key
            s.calls.clear();
            ActivationReport second = EnvectorKeys.init(c, gen, true, UploadProgress.NONE);
            assertFalse(second.generated());
            assertFalse(second.registered());
            assertTrue(second.loaded());
            assertTrue(second.evalKeyChecked());
            assertEquals(List.of("v2/get_key_list", "v2/get_key_info app", "v2/unload_key previous", "v2/load_key app"),
                    s.calls);
            assertEquals(List.of(), s.violations);
        }
    }

    @Test
    void withoutAutoKeySetupAnAbsentKeySetIsAnErrorAndNothingIsGenerated() throws Exception {
        try (FakeEnvectorServer s = FakeEnvectorServer.plaintext();
             EnvectorClient c = EnvectorClient.builder(s.address()).insecure().build()) {
            KeyGenerator gen = KeyGenerator.builder().keyPath(keys).keyId("absent").dims(64).build();
            KeygenException e = assertThrows(KeygenException.class, () -> EnvectorKeys.init(c, gen, false, UploadProgress.NONE));
            assertEquals(KeygenException.Kind.USAGE, e.kind());
            assertFalse(Files.exists(keys.resolve("absent")));
            assertTrue(s.calls.isEmpty());
        }
    }

    @Test
    void aSealedSetInAKeyStoreIsGeneratedThereAndRegisteredFromIt() throws Exception {
        byte[] kek = new byte[32];
        kek[0] = 7;
        try (FakeEnvectorServer s = FakeEnvectorServer.plaintext(false, true);
             EnvectorClient c = EnvectorClient.builder(s.address()).insecure().build();
             KeyStore store = KeyStores.local(keys.resolve("store"));
             KekProvider p = KekProvider.aes(kek)) {
            KeyGenerator gen = KeyGenerator.builder().keyPath(keys.resolve("unused")).keyId("sealed").dims(32)
                    .seal(p).build();
            ActivationReport first = EnvectorKeys.init(c, gen, store, true, UploadProgress.NONE);
            assertTrue(first.generated());
            assertTrue(first.registered());
            assertEquals(ServerApi.ES2E, first.api());
            assertTrue(store.exists("sealed"));
            assertTrue(KeySet.load(keys.resolve("store/sealed"), p).sealed());
            assertEquals("ip0", s.keys.get("sealed").preset());

            ActivationReport second = EnvectorKeys.init(c, gen, store, true, UploadProgress.NONE);
            assertFalse(second.generated());
            assertFalse(second.registered());
            assertTrue(second.loaded()); // ES2E has no get_key_info: load always runs
            assertFalse(second.evalKeyChecked()); // nor a hash to compare ours with
            assertEquals(List.of(), s.violations);
        }
    }

    @Test
    void aListedIdHoldingAnotherEvalKeyIsRefusedBeforeAnythingChanges() throws Exception {
        try (FakeEnvectorServer s = FakeEnvectorServer.plaintext();
             EnvectorClient c = EnvectorClient.builder(s.address()).insecure().build()) {
            s.preload("previous", true);
            s.preload("app", false); // someone else's EvalKey under our id
            KeyGenerator gen = KeyGenerator.builder().keyPath(keys).keyId("app").dims(32).build();
            KeygenException e = assertThrows(KeygenException.class, () -> EnvectorKeys.init(c, gen, true, UploadProgress.NONE));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            String ours = KeySet.readEvalKey(Files.newInputStream(keys.resolve("app/EvalKey.json")), null).sha256Hex();
            assertTrue(e.getMessage().startsWith("the server holds key app with EvalKey sha256 000000000000..., ours is "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("ours is " + ours.substring(0, 12) + "...: "), e.getMessage());
            assertEquals("previous", s.loaded, "nothing unloaded or loaded");
            assertEquals("v2/get_key_info app", s.calls.get(s.calls.size() - 1), "refused right after: " + s.calls);
            assertTrue(s.calls.stream().allMatch(call -> call.startsWith("v2/get_key_")), s.calls.toString());

            s.keys.put("app", s.keys.get("app").withSha256("\u001b[2Jforged")); // a remote string is never echoed
            KeygenException odd = assertThrows(KeygenException.class, () -> EnvectorKeys.init(c, gen, true, UploadProgress.NONE));
            assertTrue(odd.getMessage().contains("EvalKey sha256 (not a SHA-256: 10 characters), ours is "), odd.getMessage());

            s.keys.put("app", s.keys.get("app").withSha256(ours.toUpperCase(java.util.Locale.ROOT))); // ours after all
            ActivationReport r = EnvectorKeys.init(c, gen, true, UploadProgress.NONE);
            assertTrue(r.evalKeyChecked());
            assertFalse(r.registered());
            assertEquals("app", s.loaded);
            assertEquals(List.of(), s.violations);
        }
    }

    @Test
    void anUnreachableServerIsFoundOutBeforeAnythingIsGenerated() throws Exception {
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        for (ServerApi api : ServerApi.values()) {
            try (EnvectorClient c = EnvectorClient.builder("127.0.0.1:" + port).insecure().api(api).build();
                 KeyStore store = KeyStores.local(keys.resolve("store"))) {
                KeyGenerator gen = KeyGenerator.builder().keyPath(keys).keyId("never").dims(32).build();
                KeygenException local = assertThrows(KeygenException.class,
                        () -> EnvectorKeys.init(c, gen, true, UploadProgress.NONE));
                assertEquals(KeygenException.Kind.STORE, local.kind());
                KeygenException remote = assertThrows(KeygenException.class,
                        () -> EnvectorKeys.init(c, gen, store, true, UploadProgress.NONE));
                assertEquals(KeygenException.Kind.STORE, remote.kind());
                assertEquals(List.of(), io.evkeygen.TestSupport.list(keys), api + ": nothing written");
            }
        }
    }
}
