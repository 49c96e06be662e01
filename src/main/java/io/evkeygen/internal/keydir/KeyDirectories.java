package io.evkeygen.internal.keydir;

import io.evkeygen.error.KeygenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Checks on a key directory given by a user, each failure named for what it is. */
public final class KeyDirectories {
    private KeyDirectories() {}

    /**
     * Succeeds for an existing directory. A missing path and a regular file are IO errors saying so;
     * a path the user may not reach propagates as {@link java.nio.file.AccessDeniedException}
     * ("permission denied"), never as "missing".
     */
    public static void requireDirectory(Path dir) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(dir, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new KeygenException(KeygenException.Kind.IO, "key directory " + dir + " does not exist");
        }
        if (!a.isDirectory()) {
            throw new KeygenException(KeygenException.Kind.IO, dir + " is not a directory: give the key directory");
        }
    }
}
