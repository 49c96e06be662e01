package io.evkeygen.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.FakeTricklingServer;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.Kek;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.KekProvider.Grant;
import io.evkeygen.spi.KmsFields;
import io.evkeygen.spi.SealFields;
import io.evkeygen.spi.remote.StoreAccess;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Vault Transit master key against the fake Vault's Transit engine. */
class VaultTransitKekProviderTest {
    private static final String TOKEN = "hvs.transit-test-token";

    private FakeVaultServer vault;

    @BeforeEach
    void start() throws IOException {
        vault = new FakeVaultServer("kv", 2, TOKEN);
        vault.enableTransit("transit");
        vault.createTransitKey("evk");
    }

    @AfterEach
    void stop() {
        vault.close();
        assertEquals(List.of(), vault.problems(), "request shapes seen by the fake Vault");
    }

    private VaultTransitKekProvider provider(String key) {
        return provider(vault.address(), "transit", key);
    }

    private VaultTransitKekProvider provider(URI address, String mount, String key) {
        return new VaultTransitKekProvider(new VaultTransitConfig(address,
                SecretBytes.copyOf(TOKEN.getBytes(StandardCharsets.UTF_8)), null, null, mount, key, null));
    }

    private static SealFields seal(KmsFields kms) {
        return new SealFields(SealFields.AES_KEK, new byte[12], new byte[16], kms);
    }

    private static byte[] bytes(Kek k) {
        return k.secret().reveal().clone();
    }

    @Test
    void aGrantedDataKeyOpensAgainAndNamesTheKeyVersion() {
        try (VaultTransitKekProvider p = provider("evk")) {
            Grant g = p.grant("demo", KeyFileKind.SECKEY);
            try (Kek kek = g.kek(); Kek opened = p.open("demo", KeyFileKind.SECKEY, seal(g.kms()))) {
                assertArrayEquals(bytes(kek), bytes(opened));
            }
            assertEquals("vault-transit:transit/evk:v1", g.kms().keyId());
            assertTrue(new String(g.kms().encryptedDataKey(), StandardCharsets.UTF_8).startsWith("vault:v1:"));
            assertEquals(Map.of("evkeygen:file", KeyFileKind.SECKEY.format(), "evkeygen:kid", "demo"),
                    g.kms().encryptionContext());
            assertEquals(1, VaultTransitKekProvider.keyVersion(g.kms()));
            assertEquals(List.of("TRANSIT datakey evk", "TRANSIT decrypt evk"), vault.calls());
        }
    }

    @Test
    void eachGrantIsAFreshDataKey() {
        try (VaultTransitKekProvider p = provider("evk"); Kek a = p.grant("demo", KeyFileKind.SECKEY).kek();
             Kek b = p.grant("demo", KeyFileKind.SECKEY).kek()) {
            assertFalse(Arrays.equals(bytes(a), bytes(b)));
        }
    }

    @Test
    void afterARotationNewGrantsUseTheNewVersionAndOldDataKeysStillOpen() {
        try (VaultTransitKekProvider p = provider("evk")) {
            Grant old = p.grant("demo", KeyFileKind.METADATAKEY);
            vault.rotateTransitKey("evk");
            Grant fresh = p.grant("demo", KeyFileKind.METADATAKEY);
            assertEquals("vault-transit:transit/evk:v2", fresh.kms().keyId());
            assertEquals(2, VaultTransitKekProvider.keyVersion(fresh.kms()));
            try (Kek k = old.kek(); Kek opened = p.open("demo", KeyFileKind.METADATAKEY, seal(old.kms()))) {
                assertArrayEquals(bytes(k), bytes(opened));
            }
            fresh.kek().close();
        }
    }

    @Test
    void openingWithoutAKeyNameUsesTheStoredMountAndKey() throws IOException {
        vault.enableTransit("transit-eu");
        vault.createTransitKey("other");
        Grant g;
        try (VaultTransitKekProvider p = provider(vault.address(), "transit-eu", "other")) {
            g = p.grant("demo", KeyFileKind.SECKEY);
        }
        try (VaultTransitKekProvider p = provider(vault.address(), null, null); Kek k = g.kek();
             Kek opened = p.open("demo", KeyFileKind.SECKEY, seal(g.kms()))) {
            assertArrayEquals(bytes(k), bytes(opened));
        }
    }

    @Test
    void aMissingKeyOrADeniedPolicyIsOneStoreErrorWithoutTheToken() {
        try (VaultTransitKekProvider p = provider("no-such-key")) {
            KeygenException e = assertThrows(KeygenException.class, () -> p.grant("demo", KeyFileKind.SECKEY));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertEquals("Vault Transit datakey with key transit/keys/no-such-key failed: encryption key not found"
                    + " (HTTP 400)", e.getMessage());
            assertEquals(KeygenException.Setting.TRANSIT_KEY, e.setting().orElseThrow());
        }
        try (VaultTransitKekProvider p = provider("evk")) {
            vault.failCall(1, 403);
            KeygenException e = assertThrows(KeygenException.class, () -> p.grant("demo", KeyFileKind.SECKEY));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertTrue(e.getMessage().endsWith("failed: permission denied (HTTP 403)"), e.getMessage());
            assertFalse(e.getMessage().contains(TOKEN));
        }
    }

    @Test
    void aVaultThatTricklesEndsAtTheDeadline() throws IOException {
        try (FakeTricklingServer trickling = new FakeTricklingServer();
             VaultTransitKekProvider p = new VaultTransitKekProvider(new VaultTransitConfig(trickling.uri(),
                     SecretBytes.copyOf(TOKEN.getBytes(StandardCharsets.UTF_8)), null, null, null, "evk",
                     StoreAccess.DEFAULT.withCallTimeout(Duration.ofSeconds(1))))) {
            KeygenException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(KeygenException.class, () -> p.grant("demo", KeyFileKind.SECKEY)));
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertEquals(KeygenException.Setting.STORE_TIMEOUT, e.setting().orElseThrow());
            assertTrue(e.getMessage().startsWith("Vault Transit datakey with key transit/keys/evk failed: no complete"
                    + " answer from "), e.getMessage());
        }
    }

    @Test
    void aDataKeyOfAnotherTransitKeyDoesNotUnseal() {
        vault.createTransitKey("other");
        Grant g;
        try (VaultTransitKekProvider p = provider("other")) {
            g = p.grant("demo", KeyFileKind.SECKEY);
            g.kek().close();
        }
        try (VaultTransitKekProvider p = provider("evk")) {
            KeygenException e = assertThrows(KeygenException.class, () -> p.open("demo", KeyFileKind.SECKEY, seal(g.kms())));
            assertEquals(KeygenException.Kind.UNSEAL, e.kind());
            assertTrue(e.getMessage().contains("refused to decrypt the data key"), e.getMessage());
        }
    }

    @Test
    void aDataKeyMovedToAnotherFileIsRefusedBeforeVaultIsAsked() {
        try (VaultTransitKekProvider p = provider("evk")) {
            Grant g = p.grant("demo", KeyFileKind.SECKEY);
            g.kek().close();
            int calls = vault.calls().size();
            KeygenException e = assertThrows(KeygenException.class,
                    () -> p.open("other-set", KeyFileKind.SECKEY, seal(g.kms())));
            assertEquals(KeygenException.Kind.UNSEAL, e.kind());
            e = assertThrows(KeygenException.class, () -> p.open("demo", KeyFileKind.METADATAKEY, seal(g.kms())));
            assertEquals(KeygenException.Kind.UNSEAL, e.kind());
            assertEquals(calls, vault.calls().size());
        }
    }

    @Test
    void otherSealsAreRefusedNamingWhatOpensThem() {
        try (VaultTransitKekProvider p = provider("evk")) {
            KeygenException plain = assertThrows(KeygenException.class, () -> p.open("demo", KeyFileKind.SECKEY, seal(null)));
            assertEquals(KeygenException.Kind.UNSEAL, plain.kind());
            assertTrue(plain.getMessage().contains("plain AES KEK"), plain.getMessage());
            KmsFields aws = new KmsFields("arn:aws:kms:us-east-1:1:key/x", new byte[] {1},
                    KmsFields.fileContext("demo", KeyFileKind.SECKEY));
            KeygenException other = assertThrows(KeygenException.class, () -> p.open("demo", KeyFileKind.SECKEY, seal(aws)));
            assertEquals(KeygenException.Kind.UNSEAL, other.kind());
            assertTrue(other.getMessage().contains("arn:aws:kms"), other.getMessage());
        }
        assertEquals(List.of(), vault.calls());
    }

    @Test
    void sealingNeedsAKeyNameAndPlaintextElsewhereIsRefused() {
        try (VaultTransitKekProvider p = provider(null)) {
            KeygenException e = assertThrows(KeygenException.class, () -> p.grant("demo", KeyFileKind.SECKEY));
            assertEquals(KeygenException.Kind.USAGE, e.kind());
        }
        KeygenException e = assertThrows(KeygenException.class,
                () -> provider(URI.create("http://vault.example:8200"), null, "evk"));
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("plaintext"), e.getMessage());
        assertThrows(KeygenException.class, () -> provider(vault.address(), null, "bad/name"));
        assertNotEquals(null, VaultTransitConfig.DEFAULT_MOUNT);
    }
}
