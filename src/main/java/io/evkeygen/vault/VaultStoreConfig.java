package io.evkeygen.vault;

import io.evkeygen.error.KeygenException;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.remote.BlobNames;
import io.evkeygen.spi.remote.StoreAccess;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
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
    private static final String INVALID_TOKEN_REASON = "is not a valid token (control, space or non-ASCII characters)";
    private static final String INVALID_TOKEN = "the Vault token " + INVALID_TOKEN_REASON;

    public VaultStoreConfig {
        address = address == null ? URI.create(DEFAULT_ADDRESS) : address;
        String scheme = address.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || address.getHost() == null) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "the Vault address must be an http:// or https:// URL,"
                    + " got " + address);
        }
        if (token == null) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "the Vault key store needs a token (VAULT_TOKEN)");
        }
        if (!headerSafe(token.reveal())) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, INVALID_TOKEN);
        }
        mount = mount == null || mount.isBlank() ? DEFAULT_MOUNT : trimSlashes(mount);
        if (mount.isEmpty() || mount.contains("..")) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "bad Vault mount '" + mount + "'");
        }
        if (kvVersion != 1 && kvVersion != 2) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "the KV version must be 1 or 2, got " + kvVersion);
        }
        namespace = namespace == null || namespace.isBlank() ? null : trimSlashes(namespace);
        if (namespace != null && !headerSafe(namespace.getBytes(StandardCharsets.UTF_8))) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "the Vault namespace must be printable ASCII"
                    + " without spaces");
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
        String skip = env.apply("VAULT_SKIP_VERIFY");
        if (skip != null && !skip.isBlank() && !skip.equals("0") && !skip.equalsIgnoreCase("false")) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "VAULT_SKIP_VERIFY is not supported: TLS to Vault"
                    + " is always verified; trust a private CA with VAULT_CACERT=<pem file>");
        }
        String addr = first(address, env.apply("VAULT_ADDR"));
        String tok = env.apply("VAULT_TOKEN");
        String ca = env.apply("VAULT_CACERT");
        URI uri;
        try {
            uri = addr == null ? null : URI.create(addr.strip());
        } catch (IllegalArgumentException e) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "the Vault address is not a URL: " + addr);
        }
        byte[] tokenBytes = tok == null || tok.isBlank() ? null : tok.strip().getBytes(StandardCharsets.UTF_8);
        if (tokenBytes != null && !headerSafe(tokenBytes)) {
            Arrays.fill(tokenBytes, (byte) 0);
            throw KeygenException.usage(KeygenException.Setting.VAULT, "VAULT_TOKEN " + INVALID_TOKEN_REASON);
        }
        SecretBytes token = tokenBytes == null ? null : SecretBytes.wrap(tokenBytes);
        return new VaultStoreConfig(uri, token, mount, kvVersion == null ? 2 : kvVersion, first(namespace,
                env.apply("VAULT_NAMESPACE")), prefix, ca == null || ca.isBlank() ? null : Path.of(ca), keyPath);
    }

    /**
     * Whether the bytes can be an HTTP header value as Vault tokens are: printable ASCII without
     * spaces (RFC 6750's token68 is a subset; Vault's own tokens, {@code hvs.}, {@code s.} or a UUID,
     * fit). Anything else would be refused by the HTTP client in a message that quotes it.
     */
    static boolean headerSafe(byte[] value) {
        if (value.length == 0) {
            return false;
        }
        for (byte b : value) {
            if (b <= 0x20 || b >= 0x7f) { // controls, space, DEL and every non-ASCII byte (negative)
                return false;
            }
        }
        return true;
    }

    /** An environment variable, or else the Java system property of the same name. */
    public static String setting(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? System.getProperty(name) : v;
    }

    public VaultLayout layout() {
        return new VaultLayout(prefix);
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b == null || b.isBlank() ? null : b;
    }

    private static String trimSlashes(String s) {
        String t = s.strip();
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    @Override
    public String toString() { // never the token
        return "VaultStoreConfig[" + address + ", " + mount + " (KV v" + kvVersion + ")"
                + (namespace == null ? "" : ", namespace " + namespace) + ", " + layout().root() + ", " + keyPath + "]";
    }
}
