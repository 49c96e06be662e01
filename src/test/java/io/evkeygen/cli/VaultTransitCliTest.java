package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.vault.FakeVaultServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --seal_mode vault-transit} end to end through the CLI against the fake Vault's Transit engine
 * (VAULT_TOKEN and VAULT_ADDR as system properties): generation seals, verify and inspect open,
 * reseal rewraps at the latest key version, and every failure is one line without the token.
 */
class VaultTransitCliTest {
    private static final String SEED = "5a".repeat(64);
    private static final String TOKEN = "hvs.transit-cli-token";

    @TempDir
    Path tmp;

    private FakeVaultServer vault;

    @BeforeEach
    void start() throws Exception {
        vault = new FakeVaultServer("secret", 2, TOKEN);
        vault.enableTransit("transit");
        vault.createTransitKey("evk");
        System.setProperty("VAULT_TOKEN", TOKEN);
        System.setProperty("VAULT_ADDR", vault.address().toString());
    }

    @AfterEach
    void stop() {
        System.clearProperty("VAULT_TOKEN");
        System.clearProperty("VAULT_ADDR");
        vault.close();
        assertEquals(List.of(), vault.problems());
    }

    private CliRun generate(String keyId, String... seal) {
        List<String> args = new java.util.ArrayList<>(List.of("--key_path", tmp.toString(), "--key_id", keyId, "--dim", "32",
                "--seed", SEED, "--threads", "2"));
        args.addAll(List.of(seal));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertOneLine(CliRun r, int code, String contains) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().startsWith("evkeygen: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(contains), r.err());
        assertFalse((r.out() + r.err()).contains(TOKEN));
    }

    @Test
    void aSetSealedWithTransitVerifiesAndInspectsAndNamesTheVersion() throws Exception {
        CliRun r = generate("vt", "--seal_mode", "vault-transit", "--vault_transit_key", "evk",
                "--vault_addr", vault.address().toString());
        assertEquals(0, r.code(), r.err());
        String dir = tmp.resolve("vt").toString();
        String sec = Files.readString(tmp.resolve("vt/SecKey.json"));
        assertTrue(sec.contains("\"key_id\":\"vault-transit:transit/evk:v1\""), sec);
        assertEquals(2, vault.calls().stream().filter(c -> c.equals("TRANSIT datakey evk")).count(),
                "one data key for SecKey, one for MetadataKey");

        assertEquals(0, CliRun.of("verify", dir, "--seal_mode", "vault-transit").code(), "the stored key opens it");
        CliRun inspect = CliRun.of("inspect", dir, "--vault_transit_key", "evk");
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("(sealed with Vault Transit transit/evk:v1, KEK opens it)"), inspect.out());
        CliRun json = CliRun.of("inspect", dir, "--json", "--seal_mode", "vault-transit");
        assertTrue(json.out().contains("\"kms_key_id\":\"vault-transit:transit/evk:v1\""), json.out());
    }

    @Test
    void afterARotationOldFilesOpenAndAResealCarriesTheNewVersion() throws Exception {
        assertEquals(0, generate("rot", "--seal_mode", "vault-transit", "--vault_transit_key", "evk").code());
        vault.rotateTransitKey("evk");
        String dir = tmp.resolve("rot").toString();
        assertEquals(0, CliRun.of("verify", dir, "--vault_transit_key", "evk").code(), "v1 still opens");
        CliRun reseal = CliRun.of("reseal", dir, "--seal_mode", "vault-transit", "--new_vault_transit_key", "evk");
        assertEquals(0, reseal.code(), reseal.err());
        assertTrue(Files.readString(tmp.resolve("rot/SecKey.json")).contains("vault-transit:transit/evk:v2"));
        assertTrue(Files.readString(tmp.resolve("rot/MetadataKey.json")).contains("vault-transit:transit/evk:v2"));
        assertEquals(0, CliRun.of("verify", dir, "--seal_mode", "vault-transit").code());
        assertEquals(0, generate("fresh", "--seal_mode", "vault-transit", "--vault_transit_key", "evk").code());
        assertTrue(Files.readString(tmp.resolve("fresh/SecKey.json")).contains("vault-transit:transit/evk:v2"));
    }

    @Test
    void aWrongKeyNameOrTokenIsExit7InOneLine() {
        assertOneLine(generate("nokey", "--seal_mode", "vault-transit", "--vault_transit_key", "missing"), 7,
                "Vault Transit datakey with key transit/keys/missing failed: encryption key not found");
        assertFalse(Files.exists(tmp.resolve("nokey")), "nothing is left");
        System.setProperty("VAULT_TOKEN", "hvs.not-the-token");
        assertOneLine(generate("denied", "--seal_mode", "vault-transit", "--vault_transit_key", "evk"), 7,
                "permission denied (HTTP 403)");
        assertFalse((generate("denied2", "--seal_mode", "vault-transit", "--vault_transit_key", "evk").err())
                .contains("hvs.not-the-token"));
    }

    @Test
    void transitFlagsAreCheckedAsUsage() {
        assertOneLine(generate("u1", "--seal_mode", "vault-transit"), 2, "needs --vault_transit_key");
        assertOneLine(generate("u2", "--vault_transit_key", "evk"), 2, "need --seal_mode vault-transit");
        assertOneLine(generate("u3", "--seal_mode", "vault-transit", "--vault_transit_key", "evk", "--kms_key_id", "k"), 2,
                "takes no --seal_key_path, --seal_key_stdin or --kms_key_id");
        assertOneLine(generate("u4", "--seal_mode", "vault-transit", "--vault_transit_key", "a/b"), 2,
                "a Vault Transit key name is");
        assertEquals(List.of(), vault.calls(), "nothing was asked of Vault");
    }
}
