package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.azure.InMemoryAzureKeyStore;
import io.evkeygen.keyset.KeyFileKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI picks stores from one table: a store the product does not have (the in-memory Azure
 * fixture) works end to end, from generation to deletion, after one row is registered.
 */
class StoreTableTest {
    private static final String SEED = "42".repeat(64);

    @TempDir
    Path tmp;


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String[] azure(String... args) {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        a.addAll(List.of("--key_store", "azure"));
        return a.toArray(String[]::new);
    }

    @AfterEach
    void unregister() {
        StoreTable.unregister("azure");
    }

    @Test
    void aStoreRegisteredByOneRowWorksEndToEnd() throws Exception {
        InMemoryAzureKeyStore store = new InMemoryAzureKeyStore(null);
        StoreTable.register(new StoreTable.Row("azure", false, false, (flags, keyPath) -> null, (config, keyPath) -> store));

        CliRun gen = run(azure("--key_id", "cli", "--dim", "32", "--seed", SEED, "--threads", "2",
                "--key_path", tmp.resolve("unused").toString()));
        assertEquals(0, gen.code(), gen.err());
        assertEquals(EnumSet.allOf(KeyFileKind.class), store.parts("cli"));
        assertEquals("cli", run(azure("store", "list")).out().strip());

        CliRun dl = run(azure("store", "download", "--key_id", "cli", "--key_path", tmp.resolve("dl").toString()));
        assertEquals(0, dl.code(), dl.err());
        assertEquals(0, run("verify", tmp.resolve("dl/cli").toString()).code());

        CliRun again = run(azure("--key_id", "cli", "--dim", "32", "--threads", "2"));
        assertEquals(3, again.code(), again.err());
        assertTrue(again.err().contains("refusing to overwrite"), again.err());

        assertEquals(0, run(azure("store", "delete", "--key_id", "cli")).code());
        assertEquals("", run(azure("store", "list")).out().strip());
    }

    @Test
    void theTableNamesTheStoresInItsMessages() {
        CliRun bad = run("store", "list", "--key_store", "nowhere");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--key_store must be local, aws, gcp or vault, got nowhere"), bad.err());
        StoreTable.register(new StoreTable.Row("azure", false, false, (flags, keyPath) -> null,
                (config, keyPath) -> new InMemoryAzureKeyStore(null)));
        assertTrue(run("store", "list", "--key_store", "nowhere").err().contains("local, aws, gcp, vault or azure"));
    }
}
