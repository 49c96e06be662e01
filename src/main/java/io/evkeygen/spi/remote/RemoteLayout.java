package io.evkeygen.spi.remote;

import io.evkeygen.keyset.KeyFileKind;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Python SDK's names for a key set in a remote store (spec section 9): every part under
 * {@code <prefix>/<key_id>/}, named by {@link BlobNames#blobName}. Each store's layout adds how its
 * services spell a name (a secret id, a URL) on top.
 */
public class RemoteLayout {
    /** The prefix used when none is given. */
    public static final String DEFAULT_PREFIX = BlobNames.DEFAULT_PREFIX;

    private final String prefix;

    /** {@code prefix} null or blank means {@link #DEFAULT_PREFIX}; surrounding slashes are dropped. */
    public RemoteLayout(String prefix) {
        this.prefix = BlobNames.prefix(prefix);
    }

    public final String prefix() {
        return prefix;
    }

    /** {@code <prefix>/}: what every name of every key set starts with. */
    public final String root() {
        return prefix + "/";
    }

    /** The blob name's last segment for a kind. */
    public static String blobName(KeyFileKind kind) {
        return BlobNames.blobName(kind);
    }

    /** {@code <prefix>/<key_id>/<blob name>}: an object name or secret path; the key id is checked. */
    public String name(String keyId, KeyFileKind kind) {
        return BlobNames.path(root(), keyId, kind);
    }

    /** The key id of a name {@code <prefix>/<id>/<blob>} of the given kind, or null when it is not one. */
    public final String keyIdOf(String name, KeyFileKind kind) {
        return BlobNames.keyIdOf(root(), name, kind);
    }

    /** The key ids for which {@code names} (a listing under {@link #root()}) holds a part of every one of {@code kinds}. */
    public final Set<String> idsHolding(Iterable<String> names, KeyFileKind... kinds) {
        Set<String> ids = null;
        for (KeyFileKind kind : kinds) {
            Set<String> holding = new HashSet<>();
            for (String name : names) {
                String id = keyIdOf(name, kind);
                if (id != null) {
                    holding.add(id);
                }
            }
            if (ids == null) {
                ids = holding;
            } else {
                ids.retainAll(holding);
            }
        }
        return ids == null ? Set.of() : new TreeSet<>(ids);
    }
}
