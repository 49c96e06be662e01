package io.evkeygen.vault;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KmsFields;
import io.evkeygen.spi.SealFields;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Vault Transit key as the master key ({@code --seal_mode vault-transit}): each sealing asks Transit
 * for a fresh 256-bit data key ({@code POST <mount>/datakey/plaintext/<name>}), seals with its
 * plaintext and stores its Transit ciphertext ({@code vault:vN:...}) in {@code entries[0].kms}, with
 * {@code key_id} {@code vault-transit:<mount>/<name>:vN} naming the key and the version that wrapped
 * it; opening asks Transit to decrypt it ({@code POST <mount>/decrypt/<name>}). Transit always wraps
 * with the key's latest version, so after {@code vault write -f transit/keys/<name>/rotate} the next
 * sealing (a reseal, the KMS's ROTATING) uses the new version while older files still open. The
 * stored context ({@link KmsFields#fileContext}) is checked before Transit is asked; Transit itself
 * does not bind it (a non-derived key takes no context). Plaintext data keys are zeroed after use;
 * the token never reaches a message. Policy: {@code update} on {@code <mount>/datakey/plaintext/<name>}
 * to seal, on {@code <mount>/decrypt/<name>} to open.
 */
public final class VaultTransitKekProvider implements KekProvider {
    /** How {@code key_id} starts for a Transit data key. */
    public static final String KEY_ID_PREFIX = "vault-transit:";
    private static final Pattern KEY_ID = Pattern.compile(Pattern.quote(KEY_ID_PREFIX) + "(.+)/([^/:]+):v(\\d+)");
    private static final Pattern CIPHERTEXT = Pattern.compile("vault:v(\\d+):[A-Za-z0-9+/=]+");

    private final VaultTransitConfig config;
    private final VaultHttp http;
    private final List<String> plaintextWarnings;

    /**
     * @throws KeygenException USAGE for an {@code http://} address on another machine unless the
     *         config's access allows it (then see {@link #plaintextWarnings()})
     */
    public VaultTransitKekProvider(VaultTransitConfig config) {
        this.plaintextWarnings = config.access().checkPlaintext("the Vault address", config.address(),
                "the Vault token and the data keys").stream().toList();
        this.config = config;
        this.http = new VaultHttp(config.connection(), config.access(), config.mount());
    }

    /** What travels in clear because plaintext to another machine was allowed (empty over TLS or loopback). */
    public List<String> plaintextWarnings() {
        return plaintextWarnings;
    }

    @Override
    public Grant grant(String kid, KeyFileKind kind) {
        String name = config.key();
        if (name == null) {
            throw KeygenException.usage(KeygenException.Setting.TRANSIT_KEY, "sealing with Vault Transit needs a key name");
        }
        DataKey k = call("datakey", name, "datakey/plaintext/" + VaultHttp.encodePath(name), "{\"bits\":256}");
        try {
            Matcher m = CIPHERTEXT.matcher(k.ciphertext == null ? "" : k.ciphertext);
            if (!m.matches()) {
                throw new KeygenException(KeygenException.Kind.STORE, "Vault Transit datakey with key " + where(config.mount(),
                        name) + " returned no vault:vN: ciphertext");
            }
            Kek kek = kek(k.plaintext, "datakey");
            String keyId = KEY_ID_PREFIX + config.mount() + "/" + name + ":v" + m.group(1);
            return new Grant(kek, new KmsFields(keyId, k.ciphertext.getBytes(StandardCharsets.UTF_8),
                    KmsFields.fileContext(kid, kind)));
        } finally {
            k.zero();
        }
    }

    @Override
    public Kek open(String kid, KeyFileKind kind, SealFields seal) {
        KmsFields kms = seal.kms();
        if (kms == null) {
            throw new KeygenException(KeygenException.Kind.UNSEAL, kind.fileName()
                    + " is sealed with a plain AES KEK, not a Vault Transit data key: give that KEK",
                    KeygenException.Setting.KEK, null);
        }
        Matcher id = KEY_ID.matcher(kms.keyId());
        if (!id.matches()) {
            throw new KeygenException(KeygenException.Kind.UNSEAL, kind.fileName() + " is sealed with another KMS's data"
                    + " key (" + kms.keyId() + "), not Vault Transit: open it with that KMS", KeygenException.Setting.KMS_KEY,
                    null);
        }
        if (!KmsFields.fileContext(kid, kind).equals(kms.encryptionContext())) {
            throw new KeygenException(KeygenException.Kind.UNSEAL,
                    kind.fileName() + ": cannot unseal: the stored KMS encryption context does not match this file");
        }
        String mount = config.key() != null ? config.mount() : id.group(1);
        String name = config.key() != null ? config.key() : id.group(2);
        VaultHttp onMount = mount.equals(config.mount()) ? http : new VaultHttp(config.connection(), config.access(), mount);
        String ciphertext = new String(kms.encryptedDataKey(), StandardCharsets.UTF_8);
        String body = VaultHttp.JSON.createObjectNode().put("ciphertext", ciphertext).toString();
        DataKey k = call(onMount, mount, "decrypt", name, "decrypt/" + VaultHttp.encodePath(name), body);
        try {
            return kek(k.plaintext, "decrypt");
        } finally {
            k.zero();
        }
    }

    /** The Transit key version that wrapped a data key, from the stored ciphertext's {@code vault:vN:} prefix. */
    public static int keyVersion(KmsFields kms) {
        Matcher m = CIPHERTEXT.matcher(new String(kms.encryptedDataKey(), StandardCharsets.UTF_8));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Vault Transit ciphertext");
        }
        return Integer.parseInt(m.group(1));
    }

    /** A Transit answer's data key: plaintext bytes (zeroed after use) and the ciphertext, when given. */
    private static final class DataKey {
        byte[] plaintext;
        String ciphertext;

        void zero() {
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    private DataKey call(String op, String name, String rel, String body) {
        return call(http, config.mount(), op, name, rel, body);
    }

    /**
     * One Transit request. Vault refusing to decrypt (400: the ciphertext does not open with this key)
     * is UNSEAL (exit 6); any other failure, a missing key or a denied policy included, is STORE (exit 7).
     */
    private static DataKey call(VaultHttp http, String mount, String op, String name, String rel, String body) {
        String what = "Vault Transit " + op + " with key " + where(mount, name);
        HttpResponse<byte[]> r;
        try {
            r = http.send("POST", rel, body.getBytes(StandardCharsets.UTF_8));
        } catch (VaultHttp.VaultError e) {
            throw new KeygenException(KeygenException.Kind.STORE, what + " failed: " + e.getMessage(),
                    e.timedOut ? KeygenException.Setting.STORE_TIMEOUT : KeygenException.Setting.TRANSIT_KEY, null);
        } catch (IOException e) {
            throw new KeygenException(KeygenException.Kind.STORE, what + " failed: " + e.getClass().getSimpleName(), e);
        }
        try {
            if (r.statusCode() == 400 && op.equals("decrypt") && refusedCiphertext(VaultHttp.errorText(r))) {
                throw new KeygenException(KeygenException.Kind.UNSEAL, "cannot unseal: Vault Transit key " + where(mount, name)
                        + " refused to decrypt the data key (another key, or a tampered data key)");
            }
            try {
                VaultHttp.check(r);
            } catch (VaultHttp.VaultError e) {
                throw new KeygenException(KeygenException.Kind.STORE, what + " failed: " + e.getMessage(),
                        KeygenException.Setting.TRANSIT_KEY, null);
            }
            return parse(r.body(), what);
        } finally {
            Arrays.fill(r.body(), (byte) 0);
        }
    }

    private static boolean refusedCiphertext(String vaultText) {
        String t = vaultText.toLowerCase(Locale.ROOT);
        return t.contains("authentication failed") || t.contains("invalid ciphertext") || t.contains("unable to decrypt");
    }

    /**
     * {@code data.plaintext} (base64, decoded straight into bytes, never a String) and
     * {@code data.ciphertext}; everything else is skipped.
     */
    private static DataKey parse(byte[] json, String what) {
        DataKey k = new DataKey();
        try (JsonParser p = VaultHttp.JSON.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.START_OBJECT && field.equals("data")) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken t = p.nextToken();
                        if (f.equals("plaintext") && t == JsonToken.VALUE_STRING) {
                            k.plaintext = p.getBinaryValue();
                        } else if (f.equals("ciphertext") && t == JsonToken.VALUE_STRING) {
                            k.ciphertext = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            k.zero();
            throw new KeygenException(KeygenException.Kind.STORE, what + ": unreadable answer (" + e.getClass().getSimpleName()
                    + ")");
        }
        return k;
    }

    /** The data key as a {@link Kek}; 32 bytes or a STORE error. */
    private Kek kek(byte[] plaintext, String op) {
        if (plaintext == null || plaintext.length != Kek.LENGTH) {
            throw new KeygenException(KeygenException.Kind.STORE, "Vault Transit " + op + " returned "
                    + (plaintext == null ? "no data key" : "a " + plaintext.length + "-byte data key, expected 32"));
        }
        return Kek.of(plaintext);
    }

    private static String where(String mount, String name) {
        return mount + "/keys/" + name;
    }

    @Override
    public String description() {
        return "Vault Transit key " + (config.key() != null ? where(config.mount(), config.key()) : "(from the key file)");
    }
}
