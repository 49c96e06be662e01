package io.evkeygen.spi.remote;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeyIds;

/**
 * The Python SDK's names for a key set in a remote store, shared by every store that keeps its
 * layout: parts under {@code <prefix>/<key_id>/}, named {@code sec_blob}, {@code metadata_blob},
 * {@code enc_blob.json} and {@code eval_blob.json}; the default prefix {@code envector/keys}.
 */
public final class BlobNames {
    /** The prefix used when none is given. */
    public static final String DEFAULT_PREFIX = "envector/keys";

    private BlobNames() {}

    /**
     * {@code prefix} without surrounding blanks and slashes; null or empty means {@link #DEFAULT_PREFIX}.
     * The prefix becomes part of a Vault path, an S3 key or an object name, so it must stay in its
     * place: a usage error for an empty, {@code .} or {@code ..} segment and for control characters.
     */
    public static String prefix(String prefix) {
        String p = prefix == null ? "" : prefix.strip();
        int from = 0;
        int to = p.length();
        while (from < to && p.charAt(from) == '/') {
            from++;
        }
        while (to > from && p.charAt(to - 1) == '/') {
            to--;
        }
        p = p.substring(from, to);
        return p.isEmpty() ? DEFAULT_PREFIX : checkSegments(p);
    }

    private static String checkSegments(String p) {
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (Character.isISOControl(c)) {
                throw KeygenException.usage(KeygenException.Setting.PREFIX, "the name prefix must not contain control"
                        + " characters");
            }
        }
        for (String segment : p.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw KeygenException.usage(KeygenException.Setting.PREFIX, "the name prefix '" + p + "' has an empty,"
                        + " '.' or '..' segment: it must stay under the store's own place");
            }
        }
        return p;
    }

    /** The last segment of a part's name. */
    public static String blobName(KeyFileKind kind) {
        return switch (kind) {
            case SECKEY -> "sec_blob";
            case METADATAKEY -> "metadata_blob";
            case ENCKEY -> "enc_blob.json";
            case EVALKEY -> "eval_blob.json";
        };
    }

    /** {@code <root><key_id>/<blob name>}, root being {@code <prefix>/}; the key id is checked. */
    public static String path(String root, String keyId, KeyFileKind kind) {
        return root + KeyIds.check(keyId) + "/" + blobName(kind);
    }

    /** The key id of a name {@code <root><id>/<blob name>} of the given kind, or null when it is not one we would write. */
    public static String keyIdOf(String root, String name, KeyFileKind kind) {
        String tail = "/" + blobName(kind);
        if (!name.startsWith(root) || !name.endsWith(tail) || name.length() < root.length() + tail.length()) {
            return null;
        }
        try {
            return KeyIds.check(name.substring(root.length(), name.length() - tail.length()));
        } catch (KeygenException e) {
            return null;
        }
    }
}
