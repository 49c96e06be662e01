package io.evkeygen.vault;

import io.evkeygen.error.KeygenException;
import io.evkeygen.secret.SecretBytes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * How Vault is reached, whatever engine is used (KV for the key store, Transit for the master key):
 * its address, the token, an Enterprise namespace and a private CA, checked once.
 *
 * @param address   {@code http://} or {@code https://}; null means {@value VaultStoreConfig#DEFAULT_ADDRESS}
 * @param token     sent as {@code X-Vault-Token}, never logged; required
 * @param namespace {@code X-Vault-Namespace}, or null
 * @param caCert    a PEM file of CA certificates to trust instead of the JDK's, or null
 */
record VaultConnection(URI address, SecretBytes token, String namespace, Path caCert) {
    private static final String INVALID_TOKEN_REASON = "is not a valid token (control, space or non-ASCII characters)";

    VaultConnection {
        address = address == null ? URI.create(VaultStoreConfig.DEFAULT_ADDRESS) : address;
        String scheme = address.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || address.getHost() == null) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "the Vault address must be an http:// or https:// URL,"
                    + " got " + address);
        }
        if (token == null) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "Vault needs a token (VAULT_TOKEN)");
        }
        if (!headerSafe(token.reveal())) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "the Vault token " + INVALID_TOKEN_REASON);
        }
        namespace = namespace == null || namespace.isBlank() ? null : trimSlashes(namespace);
        if (namespace != null && !headerSafe(namespace.getBytes(StandardCharsets.UTF_8))) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "the Vault namespace must be printable ASCII"
                    + " without spaces");
        }
    }

    /**
     * From the environment as the Vault CLI reads it: {@code VAULT_ADDR}, {@code VAULT_TOKEN},
     * {@code VAULT_NAMESPACE}, {@code VAULT_CACERT}; arguments given (non-null) win. {@code VAULT_SKIP_VERIFY}
     * is refused: TLS is always verified (trust a private CA with {@code VAULT_CACERT}).
     */
    static VaultConnection fromEnvironment(String address, String namespace, Function<String, String> env) {
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
        return new VaultConnection(uri, token, first(namespace, env.apply("VAULT_NAMESPACE")),
                ca == null || ca.isBlank() ? null : Path.of(ca));
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

    /** A mount without surrounding slashes; null or blank means {@code defaultMount}; '..' or empty is a usage error. */
    static String mount(String mount, String defaultMount, KeygenException.Setting setting, String what) {
        String m = mount == null || mount.isBlank() ? defaultMount : trimSlashes(mount);
        if (m.isEmpty() || m.contains("..")) {
            throw KeygenException.usage(setting, "bad " + what + " '" + m + "'");
        }
        return m;
    }

    static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b == null || b.isBlank() ? null : b;
    }

    static String trimSlashes(String s) {
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
        return "VaultConnection[" + address + (namespace == null ? "" : ", namespace " + namespace) + "]";
    }
}
