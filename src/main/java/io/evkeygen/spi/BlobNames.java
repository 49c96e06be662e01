package io.evkeygen.spi;

import io.evkeygen.keyset.KeyFileKind;

/**
 * The Python SDK's names for a key set in a remote store, shared by every store that keeps its
 * layout: parts under {@code <prefix>/<key_id>/}, named {@code sec_blob}, {@code metadata_blob},
 * {@code enc_blob.json} and {@code eval_blob.json}; the default prefix {@code envector/keys}.
 */
public final class BlobNames {
    /** The prefix used when none is given. */
    public static final String DEFAULT_PREFIX = "envector/keys";

    private BlobNames() {}

    /** {@code prefix} without surrounding blanks and slashes; null or empty means {@link #DEFAULT_PREFIX}. */
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
        return p.isEmpty() ? DEFAULT_PREFIX : p;
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
        } catch (io.evkeygen.error.KeygenException e) {
            return null;
        }
    }
}
