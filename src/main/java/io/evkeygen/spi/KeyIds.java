package io.evkeygen.spi;

import io.evkeygen.error.KeygenException;

/** Key ids become one directory name (or one object-name segment), so they must be a safe single component. */
public final class KeyIds {
    /** Longest id: a typical file-name limit, in UTF-16 units (conservative for ASCII ids). */
    public static final int MAX_LENGTH = 255;

    private KeyIds() {}

    /** Returns {@code keyId} when safe; a usage error otherwise (no separators, no dot names, no controls). */
    public static String check(String keyId) {
        if (keyId == null || keyId.isEmpty()) {
            throw KeygenException.usage(KeygenException.Setting.KEY_ID, "key id must not be empty");
        }
        if (keyId.length() > MAX_LENGTH) {
            throw KeygenException.usage(KeygenException.Setting.KEY_ID, "key id is longer than " + MAX_LENGTH + " characters");
        }
        if (keyId.indexOf('/') >= 0 || keyId.indexOf('\\') >= 0) {
            throw KeygenException.usage(KeygenException.Setting.KEY_ID, "key id must be a single path component: no '/' or '\\'");
        }
        // Leading dot covers "." and ".." and keeps ids apart from our hidden staging directories.
        if (keyId.startsWith(".")) {
            throw KeygenException.usage(KeygenException.Setting.KEY_ID, "key id must not start with '.'");
        }
        for (int i = 0; i < keyId.length(); i++) {
            char c = keyId.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw KeygenException.usage(KeygenException.Setting.KEY_ID, "key id must not contain control characters");
            }
        }
        return keyId;
    }
}
