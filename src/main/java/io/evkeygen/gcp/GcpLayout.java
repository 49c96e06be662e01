package io.evkeygen.gcp;

import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.remote.RemoteLayout;

/**
 * Names of a key set in Cloud Storage and Secret Manager, as pyenvector 1.5 uses them: objects
 * {@code <prefix>/<key_id>/enc_blob.json} and {@code .../eval_blob.json}; secrets whose id is
 * {@code <prefix>-<key_id>-sec_blob} (and {@code -metadata_blob}) with every character outside
 * {@code [A-Za-z0-9_-]} replaced by {@code -}, {@code envector-} put in front when the result does
 * not start with a letter, and cut to 255 characters.
 */
public final class GcpLayout extends RemoteLayout {
    /** Secret Manager's longest secret id. */
    public static final int MAX_SECRET_ID = 255;

    /** {@code prefix} null or blank means {@link #DEFAULT_PREFIX}; surrounding slashes are dropped. */
    public GcpLayout(String prefix) {
        super(prefix);
    }

    /** Secret Manager holds the secret kinds, Cloud Storage the public ones. */
    public static boolean inSecretManager(KeyFileKind kind) {
        return kind.secret();
    }

    /** The Cloud Storage object name of a public part: {@link #name}. */
    public String objectName(String keyId, KeyFileKind kind) {
        return name(keyId, kind);
    }

    /** The Secret Manager secret id of a secret part. */
    public String secretId(String keyId, KeyFileKind kind) {
        return sanitize(prefix() + "-" + KeyIds.check(keyId) + "-" + blobName(kind));
    }

    /** The secret id of everything with this prefix, without the key id: a listing filter. */
    public String secretIdPrefix() {
        String s = sanitize(prefix() + "-x");
        return s.substring(0, s.length() - 1);
    }

    /** pyenvector's rule: {@code [^A-Za-z0-9_-]} to {@code -}, {@code envector-} before a non-letter, at most 255. */
    public static String sanitize(String raw) {
        StringBuilder b = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            b.append(ok ? c : '-');
        }
        String s = b.toString();
        if (s.isEmpty() || !Character.isLetter(s.charAt(0)) || s.charAt(0) > 'z') {
            s = "envector-" + s;
        }
        return s.length() > MAX_SECRET_ID ? s.substring(0, MAX_SECRET_ID) : s;
    }

    /** Where a part lives, for messages. */
    public String location(String project, String bucket, String keyId, KeyFileKind kind) {
        return inSecretManager(kind)
                ? "secret projects/" + project + "/secrets/" + secretId(keyId, kind)
                : "gs://" + bucket + "/" + objectName(keyId, kind);
    }
}
