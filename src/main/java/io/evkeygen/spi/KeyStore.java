package io.evkeygen.spi;

import io.evkeygen.keyset.KeyFileKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Where key sets live: a local directory now, S3 + Secrets Manager later. Saving is all or nothing
 * and never overwrites an existing key set.
 */
public interface KeyStore extends AutoCloseable {

    /**
     * Saves a key set under {@code keyId}: either every file the writer produced appears, or none.
     *
     * @throws io.evkeygen.error.KeygenException TARGET_EXISTS when the key id already holds data
     * @return a human-readable location of the saved set (a directory, a URI prefix)
     */
    String save(String keyId, KeySetWriter writer) throws IOException;

    /** Which key files are present for {@code keyId} (empty when none). */
    Set<KeyFileKind> parts(String keyId) throws IOException;

    /** A key set exists when its SecKey, EncKey and EvalKey are all present (spec section 9). */
    default boolean exists(String keyId) throws IOException {
        return parts(keyId).containsAll(EnumSet.of(KeyFileKind.SECKEY, KeyFileKind.ENCKEY, KeyFileKind.EVALKEY));
    }

    /** Opens one stored envelope. */
    InputStream open(String keyId, KeyFileKind kind) throws IOException;

    /** Removes the key set's files; absent files are ignored. */
    void delete(String keyId) throws IOException;

    /** The key ids holding a complete key set, sorted. */
    List<String> list() throws IOException;

    /** Releases clients (AWS); a local store holds nothing. */
    @Override
    default void close() {}
}
