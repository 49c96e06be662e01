package io.evkeygen.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.error.KeygenException;
import io.evkeygen.kms.KmsClient.KeySpec;
import io.evkeygen.kms.internal.proto.KmsV2;
import io.evkeygen.params.EvalMode;
import io.evkeygen.server.EnvectorClient;
import io.evkeygen.server.FakeEnvectorServer;
import io.evkeygen.server.ServerAuth;
import io.evkeygen.server.ServerException;
import io.evkeygen.server.UploadProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ev.init in KMS mode ({@link KmsKeys}) against {@link FakeEnvectorKms} and the existing
 * {@link FakeEnvectorServer} together, one token shared by both: the KMS.md sequence, the EvalKey
 * registered exactly as the KMS holds it, and (in a child JVM with a heap smaller than the key) the
 * EvalKey streamed from one to the other without being held.
 */
class KmsKeysTest {
    private static final String TOKEN = "shared-token-1";

    @TempDir
    Path sets;

    private final List<AutoCloseable> open = new ArrayList<>();
    private FakeEnvectorKms kms;
    private FakeEnvectorServer server;
    private KmsClient kmsClient;
    private EnvectorClient serverClient;

    @BeforeEach
    void start() throws Exception {
        kms = track(FakeEnvectorKms.plaintext());
        server = track(FakeEnvectorServer.plaintext());
        kms.requireToken = true;
        kms.acceptedTokens.add("Bearer " + TOKEN);
        server.requireToken = true;
        server.acceptedTokens.add("Bearer " + TOKEN);
        kms.generator = this::generate;
        ServerAuth auth = ServerAuth.token(TOKEN); // one token for both services, as ev.init
        kmsClient = track(KmsClient.builder(kms.address()).insecure().auth(auth).build());
        serverClient = track(EnvectorClient.builder(server.address()).insecure().auth(auth).build());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    private Path generate(String keyId) {
        try {
            return KeyGenerator.builder().keyPath(sets).keyId(keyId).dims(32).build().generateKeys();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private KmsKeys.Report init(String keyId, KeySpec spec) throws Exception {
        return KmsKeys.init(kmsClient, serverClient, keyId, spec, Duration.ofSeconds(30), UploadProgress.NONE);
    }

    private static KeySet.EvalKeyDigest digest(Path dir) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve("EvalKey.json"))) {
            return KeySet.readEvalKey(in, null);
        }
    }

    @Test
    void anAbsentKeyIsGeneratedPolledDownloadedRegisteredAndLoaded() throws Exception {
        server.preload("previous", true);
        KmsKeys.Report r = init("app", new KeySpec("IP0", "RMP", true, null));

        assertTrue(r.generated());
        assertFalse(r.waitedForOther());
        // details (absent), generate, status until READY, ENC, then EVAL twice: once to learn its
        // length and hash (every register frame carries them), once while it is sent
        assertEquals(List.of("GetKeyDetails app", "GenerateKey app", "GetKeyStatus app", "GetKeyStatus app",
                "DownloadKey app", "DownloadKey app", "DownloadKey app"), kms.calls);
        List<KmsV2.DownloadKeyRequest> downloads = kms.requests(KmsV2.DownloadKeyRequest.class);
        assertEquals(List.of(2, 3, 3), downloads.stream().map(KmsV2.DownloadKeyRequest::getFileTypeValue).toList());
        KmsV2.GenerateKeyRequest g = kms.requests(KmsV2.GenerateKeyRequest.class).get(0);
        assertEquals("IP0", g.getPreset());
        assertEquals("RMP", g.getEvalMode());
        assertTrue(g.getMetadataEncryptionEnabled());
        assertTrue(g.getSeed().isEmpty());

        Path dir = sets.resolve("app");
        assertArrayEquals(Files.readAllBytes(dir.resolve("EncKey.json")), r.encKey(), "the EncKey, kept in memory");
        KeySet.EvalKeyDigest d = digest(dir);
        FakeEnvectorServer.Stored stored = server.keys.get("app");
        assertEquals(d.sha256Hex(), stored.sha256sum());
        assertEquals(d.length(), stored.size());
        assertEquals("app", server.loaded);
        assertTrue(r.activation().registered());
        assertEquals(List.of("previous"), r.activation().unloaded());
        assertEquals(List.of(), kms.violations);
        assertEquals(List.of(), server.violations);
        assertTrue(kms.authorizations.stream().allMatch(a -> a.endsWith("=Bearer " + TOKEN)), kms.authorizations.toString());
        assertTrue(server.authorizations.stream().allMatch(("Bearer " + TOKEN)::equals), server.authorizations.toString());
    }

    @Test
    void aKeyTheKmsHasIsNotGeneratedAndARepeatRegistersNothing() throws Exception {
        Path dir = KeyGenerator.builder().keyPath(sets).keyId("have").dims(32).build().generateKeys();
        kms.preload("have", dir);
        KmsKeys.Report first = init("have", KeySpec.DEFAULTS);
        assertFalse(first.generated());
        assertEquals(List.of("GetKeyDetails have", "GetKeyStatus have", "DownloadKey have", "DownloadKey have",
                "DownloadKey have"), kms.calls);
        assertEquals(digest(dir).sha256Hex(), server.keys.get("have").sha256sum());

        kms.calls.clear();
        KmsKeys.Report again = init("have", KeySpec.DEFAULTS);
        assertFalse(again.activation().registered());
        assertTrue(again.activation().evalKeyChecked()); // the server's sha256 compared with the KMS's EvalKey
        assertEquals(List.of("GetKeyDetails have", "GetKeyStatus have", "DownloadKey have", "DownloadKey have"),
                kms.calls);
        assertEquals("have", server.loaded);
        assertTrue(kms.requests(KmsV2.GenerateKeyRequest.class).isEmpty());
    }

    @Test
    void aServerHoldingAnotherEvalKeyUnderTheIdIsRefused() throws Exception {
        kms.preload("taken", KeyGenerator.builder().keyPath(sets).keyId("taken").dims(32).build().generateKeys());
        server.preload("taken", false); // another client's key, hash 000...
        KeygenException e = assertThrows(KeygenException.class, () -> init("taken", KeySpec.DEFAULTS));
        assertEquals(KeygenException.Kind.STORE, e.kind());
        assertTrue(e.getMessage().contains("it is not this key set's"), e.getMessage());
        assertNull(server.loaded);
    }

    @Test
    void someoneElsesGenerationInProgressIsWaitedFor() throws Exception {
        Path dir = KeyGenerator.builder().keyPath(sets).keyId("busy").dims(32).build().generateKeys();
        FakeEnvectorKms.Key k = kms.preload("busy", dir);
        k.status = KmsV2.KeyGenStatus.KEY_GEN_STATUS_PENDING;
        k.pollsLeft = 1;
        kms.failNext("GetKeyDetails", 5, "no key busy");
        kms.failNext("GenerateKey", 2, "generation of busy already in progress");
        KmsKeys.Report r = init("busy", KeySpec.DEFAULTS);
        assertTrue(r.waitedForOther());
        assertFalse(r.generated());
        assertEquals("busy", server.loaded);
        assertEquals(List.of("GetKeyDetails busy", "GenerateKey busy", "GetKeyStatus busy", "GetKeyStatus busy"),
                kms.calls.subList(0, 4));
    }

    @Test
    void aRefusedGenerationStopsBeforeTheServerIsTouched() throws Exception {
        kms.failNext("GenerateKey", 4, "preset IP3 is not published: pass preset=\"IP1\" with eval_mode=\"RMP\" or \"MM\"");
        ServerException e = assertThrows(ServerException.class, () -> init("app", new KeySpec("IP3", "MM32", true, null)));
        assertTrue(e.getMessage().startsWith("KMS GenerateKey failed (return_code=4 InvalidInput): preset IP3"),
                e.getMessage());
        assertTrue(server.calls.isEmpty(), server.calls.toString());
    }

    @Test
    void aFailedGenerationRaises() throws Exception {
        kms.failGenerations = true;
        ServerException e = assertThrows(ServerException.class, () -> init("app", KeySpec.DEFAULTS));
        assertTrue(e.getMessage().contains("FAILED"), e.getMessage());
        assertTrue(server.keys.isEmpty());
    }

    /**
     * The EvalKey is never whole in the client: a child JVM with a 32 MiB heap and 24 MiB of direct
     * memory runs the ev.init sequence for a FLAT [256] EvalKey of about 34 MB (45 MB as JSON), and
     * the fake server receives every byte with the right hash.
     */
    @Test
    void anEvalKeyLargerThanTheHeapStreamsFromTheKmsIntoTheServer() throws Exception {
        Path dir = KeyGenerator.builder().keyPath(sets).keyId("flat").dims(256).evalMode(EvalMode.FLAT)
                .metadataEncryption(false).build().generateKeys();
        KeySet.EvalKeyDigest d = digest(dir);
        assertTrue(d.length() > 32L << 20, "the payload must be larger than the child's heap: " + d.length());
        kms.preload("flat", dir);
        Path log = sets.resolve("child.log");
        long started = System.nanoTime();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:MaxDirectMemorySize=24m", "-cp", System.getProperty("java.class.path"),
                KmsInitChild.class.getName(), kms.address(), server.address(), "flat", TOKEN)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM did not finish");
        double seconds = (System.nanoTime() - started) / 1e9;
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("registered=true loaded=true"), out);
        long json = Files.size(dir.resolve("EvalKey.json"));
        // a number, not an assertion: the child's whole run (JVM start, two downloads, one upload)
        System.out.printf("KMS ev.init, child JVM -Xmx32m: EvalKey.json %d bytes downloaded twice, %d bytes"
                + " registered, %.1f s%n", json, d.length(), seconds);
        FakeEnvectorServer.Stored k = server.keys.get("flat");
        assertEquals(d.length(), k.size());
        assertEquals(d.sha256Hex(), k.sha256sum());
        assertEquals(List.of(), server.violations);
        assertEquals(List.of(), kms.violations);
    }
}
