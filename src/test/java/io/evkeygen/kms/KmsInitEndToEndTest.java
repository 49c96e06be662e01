package io.evkeygen.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeySet;
import io.evkeygen.kms.KmsClient.KeySpec;
import io.evkeygen.server.EnvectorClient;
import io.evkeygen.server.FakeEnvectorServer;
import io.evkeygen.server.ServerAuth;
import io.evkeygen.server.ServerException;
import io.evkeygen.server.UploadProgress;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ev.init in KMS mode ({@link KmsKeys#init}) against the real KMS server and the existing
 * {@link FakeEnvectorServer}, one token shared by both as ev.init shares it: the first call generates
 * the set, downloads its EncKey and registers and activates its EvalKey; the second finds the key
 * READY and activates it again without generating or registering anything; once the key is
 * destroyed, ev.init stops at GetKeyStatus.
 */
class KmsInitEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void theFirstInitGeneratesAndActivatesTheSecondOnlyActivates() throws Exception {
        try (KmsInProcess kms = KmsInProcess.plaintext(tmp, List.of(32));
             FakeEnvectorServer envector = FakeEnvectorServer.plaintext()) {
            envector.requireToken = true;
            envector.acceptedTokens.add("Bearer " + KmsInProcess.ALICE);
            envector.preload("previous", true);
            ServerAuth shared = ServerAuth.token(KmsInProcess.ALICE);
            try (KmsClient client = KmsClient.builder(kms.address()).insecure().auth(shared).build();
                 EnvectorClient server = EnvectorClient.builder(envector.address()).insecure().auth(shared).build()) {
                KmsKeys.Report first = KmsKeys.init(client, server, "app", new KeySpec("IP0", "RMP", true, null),
                        Duration.ofSeconds(300), UploadProgress.NONE);
                assertTrue(first.generated());
                assertFalse(first.waitedForOther());
                assertTrue(first.activation().registered());
                assertEquals(List.of("previous"), first.activation().unloaded());
                assertEquals("app", envector.loaded);
                assertArrayEquals(Files.readAllBytes(kms.file("app", "EncKey.json")), first.encKey());

                KeySet.EvalKeyDigest stored;
                try (InputStream in = Files.newInputStream(kms.file("app", "EvalKey.json"))) {
                    stored = KeySet.readEvalKey(in, null);
                }
                FakeEnvectorServer.Stored registered = envector.keys.get("app");
                assertEquals(stored.sha256Hex(), registered.sha256sum(), "the KMS's EvalKey payload, registered");
                assertEquals(stored.length(), registered.size());
                assertEquals("IP0", registered.preset());
                assertEquals("RMP", registered.evalMode());

                envector.loaded = null;
                KmsKeys.Report second = KmsKeys.init(client, server, "app", KeySpec.DEFAULTS, Duration.ofSeconds(300),
                        UploadProgress.NONE);
                assertFalse(second.generated());
                assertFalse(second.activation().registered(), "already registered: nothing sent again");
                assertTrue(second.activation().evalKeyChecked(), "the server's hash checked against the KMS's EvalKey");
                assertEquals("app", envector.loaded);
                assertArrayEquals(first.encKey(), second.encKey());
                assertEquals(List.of(), envector.violations);

                client.destroy("app", "retired");
                envector.loaded = null;
                ServerException destroyed = assertThrows(ServerException.class, () -> KmsKeys.init(client, server, "app",
                        KeySpec.DEFAULTS, Duration.ofSeconds(300), UploadProgress.NONE));
                assertEquals("KMS GetKeyStatus failed (return_code=2 Fail): key app is destroyed: only GetKeyDetails"
                        + " and Delete are possible", destroyed.getMessage());
                assertNull(envector.loaded, "nothing activated");
            }
            String audit = kms.audit.toString();
            assertEquals(1, audit.lines().filter(l -> l.contains(" rpc=GenerateKey ")).count(), audit);
            assertTrue(audit.lines().allMatch(l -> l.contains(" principal=alice ")), audit);
            assertEquals(List.of("Bearer " + KmsInProcess.ALICE), envector.authorizations.stream().distinct().toList());
        }
    }
}
