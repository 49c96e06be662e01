package io.evkeygen.cli;

import io.evkeygen.KeyStores;
import io.evkeygen.aws.AwsKeyStore;
import io.evkeygen.aws.AwsStoreConfig;
import io.evkeygen.error.KeygenException;
import io.evkeygen.gcp.GcpKeyStore;
import io.evkeygen.gcp.GcpStoreConfig;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.vault.VaultKeyStore;
import io.evkeygen.vault.VaultStoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The stores {@code --key_store} names, one row each: adding a store is adding a row. The rows' lambdas
 * link a store's classes only when that store is used, so the quick generation path (local store)
 * links no AWS or Google class; a factory's result is typed {@link KeyStore}, an interface, which the
 * verifier does not load.
 */
final class StoreTable {
    /** Builds (and so validates: usage errors) a store's configuration from the flags. */
    @FunctionalInterface
    interface Config {
        Object of(StoreOptions flags, Path keyPath);
    }

    /** Opens a store from its configuration. */
    @FunctionalInterface
    interface Opener {
        KeyStore open(Object config, Path keyPath);
    }

    /**
     * One store. {@code localSealing}: whether a KEK file may seal its secrets (the cloud stores refuse,
     * as the reference CLI does); {@code publicHalfInKeyPath}: its EncKey and EvalKey live in
     * {@code --key_path} (so a download needs another directory).
     */
    record Row(String name, boolean localSealing, boolean publicHalfInKeyPath, Config config, Opener opener) {
        boolean remote() {
            return !name.equals(LOCAL);
        }
    }

    static final String LOCAL = "local";

    private static final Map<String, Row> ROWS = new LinkedHashMap<>();

    static {
        register(new Row(LOCAL, true, false, (f, keyPath) -> null, (c, keyPath) -> KeyStores.local(keyPath)));
        register(new Row("aws", false, false,
                (f, keyPath) -> AwsStoreConfig.of(f.region(), f.bucket, f.prefix).withAccess(f.access()),
                (c, keyPath) -> new AwsKeyStore((AwsStoreConfig) c)));
        register(new Row("gcp", false, false,
                (f, keyPath) -> GcpStoreConfig.of(f.gcpProject, f.requireBucket(), f.prefix).withAccess(f.access()),
                (c, keyPath) -> new GcpKeyStore((GcpStoreConfig) c)));
        register(new Row("vault", true, true,
                (f, keyPath) -> VaultStoreConfig.fromEnvironment(f.vaultAddr, f.vaultMount, f.vaultKvVersion,
                        f.vaultNamespace, f.prefix, keyPath).withAccess(f.access()),
                (c, keyPath) -> new VaultKeyStore((VaultStoreConfig) c)));
    }

    private StoreTable() {}

    /** Adds (or, under the same name, replaces) a row; tests register a fixture store this way. */
    static synchronized void register(Row row) {
        ROWS.put(row.name(), row);
    }

    static synchronized void unregister(String name) {
        ROWS.remove(name);
    }

    /** The row {@code --key_store value} names (any case). */
    static synchronized Row row(String value) {
        Row r = ROWS.get(value.toLowerCase(Locale.ROOT));
        if (r == null) {
            throw KeygenException.usage("--key_store must be " + choices(false) + ", got " + value);
        }
        return r;
    }

    /** {@code local, aws, gcp or vault}; only the remote ones with {@code remoteOnly}. */
    static synchronized String choices(boolean remoteOnly) {
        List<String> names = new ArrayList<>();
        ROWS.values().stream().filter(r -> !remoteOnly || r.remote()).forEach(r -> names.add(r.name()));
        int last = names.size() - 1;
        return last <= 0 ? String.join("", names) : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
    }
}
