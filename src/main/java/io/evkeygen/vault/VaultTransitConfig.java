package io.evkeygen.vault;

import io.evkeygen.error.KeygenException;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.remote.StoreAccess;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A Vault Transit key as the master key ({@link VaultTransitKekProvider}).
 *
 * @param address   Vault's address; null means {@value VaultStoreConfig#DEFAULT_ADDRESS}
 * @param token     the Vault token (never logged); required
 * @param namespace Vault Enterprise namespace, or null
 * @param caCert    a PEM file of CA certificates to trust for TLS, or null
 * @param mount     the Transit engine's mount; null means {@value #DEFAULT_MOUNT}
 * @param key       the Transit key's name; null only to open, where the name stored with the data key is used
 * @param access    each request's deadline and whether {@code http://} to another machine is allowed;
 *                  null means {@link StoreAccess#DEFAULT}
 */
public record VaultTransitConfig(URI address, SecretBytes token, String namespace, Path caCert, String mount,
                                 String key, StoreAccess access) {
    public static final String DEFAULT_MOUNT = "transit";

    public VaultTransitConfig {
        VaultConnection c = new VaultConnection(address, token, namespace, caCert); // checks them
        address = c.address();
        namespace = c.namespace();
        mount = VaultConnection.mount(mount, DEFAULT_MOUNT, KeygenException.Setting.TRANSIT_KEY, "Vault Transit mount");
        key = key == null || key.isBlank() ? null : key.strip();
        if (key != null && !key.matches("[A-Za-z0-9_.-]+")) {
            throw KeygenException.usage(KeygenException.Setting.TRANSIT_KEY, "a Vault Transit key name is letters,"
                    + " digits, '_', '.' and '-'");
        }
        access = StoreAccess.orDefault(access);
    }

    /**
     * From the environment as the Vault CLI reads it ({@code VAULT_ADDR}, {@code VAULT_TOKEN},
     * {@code VAULT_NAMESPACE}, {@code VAULT_CACERT}, each also a Java system property); an address or
     * namespace given wins.
     */
    public static VaultTransitConfig fromEnvironment(String address, String namespace, String mount, String key,
                                                     StoreAccess access) {
        return fromEnvironment(address, namespace, mount, key, access, VaultStoreConfig::setting);
    }

    static VaultTransitConfig fromEnvironment(String address, String namespace, String mount, String key,
                                              StoreAccess access, Function<String, String> env) {
        VaultConnection c = VaultConnection.fromEnvironment(address, namespace, env);
        return new VaultTransitConfig(c.address(), c.token(), c.namespace(), c.caCert(), mount, key, access);
    }

    VaultConnection connection() {
        return new VaultConnection(address, token, namespace, caCert);
    }

    @Override
    public String toString() { // never the token
        return "VaultTransitConfig[" + address + ", " + mount + "/keys/" + key + "]";
    }
}
