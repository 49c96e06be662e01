package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.FakeTricklingServer;
import io.evkeygen.TestSupport;
import io.evkeygen.gcp.GcpTestServers;
import io.evkeygen.vault.FakeVaultServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI with {@code --key_store gcp} (FakeGcsServer + FakeSecretManagerServer, reached through
 * STORAGE_EMULATOR_HOST and SECRET_MANAGER_EMULATOR_HOST given as system properties) and
 * {@code --key_store vault} (FakeVaultServer, VAULT_TOKEN as a system property), end to end through
 * the real engine.
 */
class GcpVaultCliTest {
    private static final String SEED = "42".repeat(64);
    private static final String VAULT_TOKEN = "hvs.cli-test-token";
    private static final String[] PROPS = {"GOOGLE_CLOUD_PROJECT", "STORAGE_EMULATOR_HOST", "SECRET_MANAGER_EMULATOR_HOST",
            "VAULT_TOKEN"};

    @TempDir
    Path tmp;


    @BeforeAll
    static void settings() {
        System.setProperty("VAULT_TOKEN", VAULT_TOKEN);
    }

    @AfterAll
    static void clear() {
        for (String p : PROPS) {
            System.clearProperty(p);
        }
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String[] with(String[] base, String... more) {
        List<String> a = new ArrayList<>(Arrays.asList(more));
        a.addAll(Arrays.asList(base));
        return a.toArray(String[]::new);
    }

    /** {@code base} then {@code more}: flags of a subcommand go after its name. */
    private static String[] after(String[] base, String... more) {
        List<String> a = new ArrayList<>(Arrays.asList(base));
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    private static void assertOneLine(CliRun r, int code, String contains) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().startsWith("evkeygen: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(contains), r.err());
    }

    @Test
    void gcpGenerateListExistsDownloadUploadDelete() throws Exception {
        GcpTestServers servers = GcpTestServers.get();
        servers.gcs().expectToken(null); // an emulator host: no credentials
        servers.gcs().createBucket("cli-bucket");
        System.setProperty("GOOGLE_CLOUD_PROJECT", GcpTestServers.PROJECT);
        System.setProperty("STORAGE_EMULATOR_HOST", servers.gcs().host().replace("http://", ""));
        System.setProperty("SECRET_MANAGER_EMULATOR_HOST", servers.secrets().endpoint());
        String[] gcp = {"--key_store", "gcp", "--bucket_name", "cli-bucket"};

        CliRun r = run(with(gcp, "--key_id", "cli", "--dim_list", "32", "--seed", SEED, "--threads", "2",
                "--key_path", tmp.resolve("unused").toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gs://cli-bucket/envector/keys/cli/"), r.out());
        assertEquals(List.of("envector/keys/cli/enc_blob.json", "envector/keys/cli/eval_blob.json"),
                List.copyOf(servers.gcs().objects("cli-bucket").keySet()));
        assertEquals(List.of("envector-keys-cli-metadata_blob", "envector-keys-cli-sec_blob"),
                List.copyOf(servers.secrets().latest().keySet()));
        assertEquals(List.of(), TestSupport.list(tmp), "nothing written locally");

        assertEquals("cli", run(with(gcp, "store", "list")).out().strip());
        assertTrue(run(with(gcp, "store", "exists", "--key_id", "cli")).out().startsWith("cli: complete"));
        CliRun dl = run(with(gcp, "store", "download", "--key_id", "cli", "--key_path", tmp.resolve("dl").toString()));
        assertEquals(0, dl.code(), dl.err());
        assertEquals(0, run("verify", tmp.resolve("dl/cli").toString()).code());
        assertOneLine(run(with(gcp, "--key_id", "cli", "--dim", "32", "--threads", "2")), 3, "refusing to overwrite");
        CliRun up = run(with(gcp, "upload", tmp.resolve("dl/cli").toString(), "--key_id", "copy"));
        assertEquals(0, up.code(), up.err());
        assertEquals(0, run(with(gcp, "store", "delete", "--key_id", "cli")).code());
        assertEquals("copy", run(with(gcp, "store", "list")).out().strip());

        assertOneLine(run(with(gcp, "--key_id", "k2", "--seal_mode", "aes_kek", "--seal_key_path", "kek.bin")), 2,
                "--seal_mode aes_kek is not supported with --key_store gcp");
        assertOneLine(run(with(gcp, "--key_id", "k2", "--seal_key_stdin")), 2, "--seal_key_stdin is not supported");
        assertOneLine(run("--key_store", "gcp", "--key_id", "k2"), 2, "--bucket_name is required with --key_store gcp");
        assertOneLine(run("--key_store", "gcp", "--bucket_name", "b"), 2, "--key_id is required with --key_store gcp");
        assertOneLine(run("--key_store", "gcp", "--key_id", "k3", "--bucket_name", "absent-bucket", "--dim", "32"), 7,
                "NoSuchBucket");
        assertEquals(List.of(), servers.gcs().problems());
        assertEquals(List.of(), servers.secrets().problems());
    }

    @Test
    void vaultGenerateListDownloadDelete() throws Exception {
        try (FakeVaultServer vault = new FakeVaultServer("kv", 2, VAULT_TOKEN)) {
            Path keys = tmp.resolve("keys");
            String[] v = {"--key_store", "vault", "--vault_addr", vault.address().toString(), "--vault_mount", "kv",
                    "--key_path", keys.toString()};
            CliRun r = run(with(v, "--key_id", "vk", "--dim", "32", "--seed", SEED, "--threads", "2"));
            assertEquals(0, r.code(), r.err());
            assertEquals(List.of("envector/keys/vk/metadata_blob", "envector/keys/vk/sec_blob"), List.copyOf(vault.values().keySet()));
            assertEquals(List.of("EncKey.json", "EvalKey.json"), TestSupport.list(keys.resolve("vk")));
            assertEquals("vk", run(with(v, "store", "list")).out().strip());
            assertOneLine(run(with(v, "store", "download", "--key_id", "vk")), 2, "--download_path");
            CliRun dl = run(with(v, "store", "download", "--key_id", "vk", "--download_path", tmp.resolve("dl").toString()));
            assertEquals(0, dl.code(), dl.err());
            assertEquals(List.of("EncKey.json", "EvalKey.json", "MetadataKey.json", "SecKey.json"),
                    TestSupport.list(tmp.resolve("dl/vk")));
            assertEquals(0, run(with(v, "store", "delete", "--key_id", "vk")).code());
            assertEquals(List.of(), TestSupport.list(keys));
            assertEquals(List.of(), vault.problems());

            System.setProperty("VAULT_TOKEN", "hvs.wrong");
            try {
                CliRun denied = run(with(v, "store", "exists", "--key_id", "vk"));
                assertOneLine(denied, 7, "permission denied (HTTP 403)");
                assertTrue(!denied.err().contains("hvs."), denied.err());
            } finally {
                System.setProperty("VAULT_TOKEN", VAULT_TOKEN);
            }
            assertOneLine(run("--key_store", "vault", "--vault_addr", "ftp://x", "--key_id", "k"), 2, "http:// or https://");
        }
    }

    @Test
    void aVaultTokenWithAControlCharacterIsAUsageErrorThatQuotesNothing() throws Exception {
        try (FakeVaultServer vault = new FakeVaultServer("kv", 2, VAULT_TOKEN)) {
            System.setProperty("VAULT_TOKEN", "hvs.leaked\u0007secret");
            try {
                CliRun r = run("store", "list", "--key_store", "vault", "--vault_addr", vault.address().toString());
                assertOneLine(r, 2, "VAULT_TOKEN is not a valid token (control, space or non-ASCII characters)");
                assertFalse(r.err().contains("leaked") || r.err().contains("secret") || r.err().contains("hvs."), r.err());
                assertEquals(List.of(), vault.calls());
            } finally {
                System.setProperty("VAULT_TOKEN", VAULT_TOKEN);
            }
        }
    }

    @Test
    void plaintextVaultOnAnotherMachineNeedsTheFlagAndIsWarnedAbout() {
        // the key id '.x' is refused after the store is opened and before any request: nothing goes out
        String[] v = {"store", "exists", "--key_store", "vault", "--vault_addr", "http://192.0.2.1:8200", "--key_id", ".x"};
        assertOneLine(run(v), 2, "--allow_plaintext_remote");
        CliRun allowed = run(after(v, "--allow-plaintext-remote"));
        assertEquals(2, allowed.code(), allowed.err());
        List<String> lines = allowed.err().lines().toList();
        assertEquals(2, lines.size(), allowed.err());
        assertTrue(lines.get(0).startsWith("evkeygen: warning: the Vault address http://192.0.2.1:8200 is plaintext"),
                lines.get(0));
        assertTrue(lines.get(1).contains("key id must not start with '.'"), lines.get(1));
    }

    @Test
    void aTricklingVaultEndsAtStoreTimeoutWithExit7() throws Exception {
        try (FakeTricklingServer trickling = new FakeTricklingServer()) {
            String[] v = {"store", "list", "--key_store", "vault", "--vault_addr", trickling.uri().toString()};
            long start = System.nanoTime();
            CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> run(after(v, "--store_timeout", "1")));
            assertOneLine(r, 7, "within 1 s (--store_timeout)");
            assertTrue(System.nanoTime() - start < 15_000_000_000L);
            for (String bad : List.of("NaN", "Infinity", "0", "-1", "1e300", "86401")) {
                assertOneLine(run(after(v, "--store-timeout", bad)), 2, "--store_timeout must be");
            }
        }
    }

    @Test
    void aSecretPrefixWithDotDotIsAUsageErrorAndNothingIsSent() throws Exception {
        try (FakeVaultServer vault = new FakeVaultServer("kv", 2, VAULT_TOKEN)) {
            CliRun r = run("store", "list", "--key_store", "vault", "--vault_addr", vault.address().toString(),
                    "--secret_prefix", "../../sys");
            assertOneLine(r, 2, "'..' segment");
            assertTrue(r.err().contains("--secret_prefix"), r.err());
            assertEquals(List.of(), vault.calls());
        }
    }
}
