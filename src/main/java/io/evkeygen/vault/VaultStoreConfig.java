package io.evkeygen.vault;

import io.evkeygen.error.KeygenException;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.remote.BlobNames;
import io.evkeygen.spi.remote.StoreAccess;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where a Vault key store keeps the secret half of key sets, and where the public half stays.
 *
 * @param address    Vault's address, e.g. {@code https://vault.example:8200}; null means
 *                   {@value #DEFAULT_ADDRESS}
 * @param token      the Vault token (sent as {@code X-Vault-Token}, never logged); required
 * @param mount      the KV secrets engine's mount; null means {@value #DEFAULT_MOUNT}
 * @param kvVersion  1 or 2 (the KV engine's version; 2 is Vault's default)
 * @param namespace  Vault Enterprise namespace ({@code X-Vault-Namespace}), or null
 * @param prefix     path prefix under the mount; null or empty means {@code envector/keys}
 * @param caCert     a PEM file of CA certificates to trust for TLS instead of the JDK's, or null;
 *                   TLS is always verified
 * @param keyPath    the local directory whose {@code <key_id>/} holds EncKey and EvalKey
 * @param access     the deadline of each request and whether {@code http://} to a host that is not
 *                   this machine is allowed; null means {@link StoreAccess#DEFAULT} (120 s, refused)
 */
public record VaultStoreConfig(URI address, SecretBytes token, String mount, int kvVersion, String namespace,
                               String prefix, Path caCert, Path keyPath, StoreAccess access) {
    public static final String DEFAULT_ADDRESS = "http://127.0.0.1:8200";
    public static final String DEFAULT_MOUNT = "secret";

    public VaultStoreConfig {
        VaultConnection c = new VaultConnection(address, token, namespace, caCert); // checks them
        address = c.address();
        namespace = c.namespace();
        mount = VaultConnection.mount(mount, DEFAULT_MOUNT, KeygenException.Setting.VAULT, "Vault mount");
        if (kvVersion != 1 && kvVersion != 2) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "the KV version must be 1 or 2, got " + kvVersion);
        }
        BlobNames.prefix(prefix); // refuses a prefix that would leave its place under the mount
        if (keyPath == null) {
            throw KeygenException.usage("the Vault key store needs a local key directory for EncKey and EvalKey");
        }
        access = StoreAccess.orDefault(access);
    }

    /** With the default access: 120 s per request, plaintext only to this machine. */
    public VaultStoreConfig(URI address, SecretBytes token, String mount, int kvVersion, String namespace, String prefix,
                            Path caCert, Path keyPath) {
        this(address, token, mount, kvVersion, namespace, prefix, caCert, keyPath, null);
    }

    /** The same store reached with {@code a}: its request deadline, and whether remote {@code http://} is allowed. */
    public VaultStoreConfig withAccess(StoreAccess a) {
        return new VaultStoreConfig(address, token, mount, kvVersion, namespace, prefix, caCert, keyPath, a);
    }

    /**
     * From the environment as the Vault CLI reads it: {@code VAULT_ADDR}, {@code VAULT_TOKEN},
     * {@code VAULT_NAMESPACE}, {@code VAULT_CACERT}; each also as a Java system property of the same
     * name. Arguments given (non-null) win over the environment. {@code VAULT_SKIP_VERIFY} is refused:
     * TLS is always verified (trust a private CA with {@code VAULT_CACERT}).
     */
    public static VaultStoreConfig fromEnvironment(String address, String mount, Integer kvVersion, String namespace,
                                                   String prefix, Path keyPath) {
        return fromEnvironment(address, mount, kvVersion, namespace, prefix, keyPath, VaultStoreConfig::setting);
    }

    static VaultStoreConfig fromEnvironment(String address, String mount, Integer kvVersion, String namespace,
                                            String prefix, Path keyPath, Function<String, String> env) {
        VaultConnection c = VaultConnection.fromEnvironment(address, namespace, env);
        return new VaultStoreConfig(c.address(), c.token(), mount, kvVersion == null ? 2 : kvVersion, c.namespace(),
                prefix, c.caCert(), keyPath);
    }

    /** Address, token, namespace and CA: what any Vault engine's client needs. */
    VaultConnection connection() {
        return new VaultConnection(address, token, namespace, caCert);
    }

    /** An environment variable, or else the Java system property of the same name. */
    public static String setting(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? System.getProperty(name) : v;
    }

    public VaultLayout layout() {
        return new VaultLayout(prefix);
    }

    @Override
    public String toString() { // never the token
        return "VaultStoreConfig[" + address + ", " + mount + " (KV v" + kvVersion + ")"
                + (namespace == null ? "" : ", namespace " + namespace) + ", " + layout().root() + ", " + keyPath + "]";
    }
}
