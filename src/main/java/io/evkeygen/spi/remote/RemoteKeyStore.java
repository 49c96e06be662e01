package io.evkeygen.spi.remote;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.KeySetWriter;
import io.evkeygen.spi.KeyStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A key store split over two services, the Python SDK's way (spec section 9): the public parts in an
 * {@link ObjectStore}, SecKey and MetadataKey in a {@link SecretStore}. An adapter (AWS, Google Cloud,
 * Vault) gives the two ports and a location; this class owns the guarantees they share:
 *
 * <ul>
 *   <li>a key id that holds any part is refused before the writer runs (minutes of generation);
 *   <li>the whole set is staged and checked (complete, secrets within the service's limit) before the
 *       first upload;
 *   <li>uploads run {@link #UPLOAD_ORDER}, SecKey last, so a set "exists" only once complete;
 *   <li>a failure removes what this save wrote, newest first, and the one-line error names the part,
 *       the service's error and what was rolled back;
 *   <li>deletion starts with SecKey, so the set stops existing at once.
 * </ul>
 */
public abstract class RemoteKeyStore implements KeyStore {
    /**
     * The order in which parts are written; rollback and deletion run in reverse. SecKey last: a set
     * "exists" ({@link KeyFileKind#REQUIRED} present) only once it is complete.
     */
    public static final List<KeyFileKind> UPLOAD_ORDER =
            List.of(KeyFileKind.EVALKEY, KeyFileKind.ENCKEY, KeyFileKind.METADATAKEY, KeyFileKind.SECKEY);

    private final ObjectStore objects;
    private final SecretStore secrets;
    private final Object config;
    private final List<AutoCloseable> clients;
    private List<String> plaintextWarnings = List.of();

    /**
     * @param config the store's configuration, for {@link #toString()}
     * @param clients the service clients {@link #close()} closes, in this order
     */
    protected RemoteKeyStore(ObjectStore objects, SecretStore secrets, Object config, AutoCloseable... clients) {
        this.objects = objects;
        this.secrets = secrets;
        this.config = config;
        this.clients = List.of(clients);
    }

    /** A readable location of a key set, for messages and the value {@link #save} returns. */
    public abstract String location(String keyId);

    /** What travels in clear because plaintext to another machine was allowed (empty over TLS or loopback). */
    public final List<String> plaintextWarnings() {
        return plaintextWarnings;
    }

    /** Set by the adapter once it has checked its endpoints. */
    protected final void plaintextWarnings(List<String> warnings) {
        this.plaintextWarnings = List.copyOf(warnings);
    }

    /**
     * Closes every client, each even when one before it fails; a client's failure to close (nothing
     * held that matters) is not the caller's problem, unless it is a runtime error.
     */
    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            } catch (Exception e) {
                // a checked failure to close releases nothing we could act on
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + config + "]";
    }

    private String where(String keyId, KeyFileKind kind) {
        return kind.secret() ? secrets.where(keyId, kind) : objects.where(keyId, kind);
    }

    @Override
    public final String save(String keyId, KeySetWriter writer) throws IOException {
        KeyIds.check(keyId);
        objects.requireReady(); // both checks before minutes of generation
        refuseExisting(keyId, parts(keyId));
        try (StagedKeySet staged = stage(writer)) {
            upload(keyId, staged);
        }
        return location(keyId);
    }

    private void refuseExisting(String keyId, Collection<KeyFileKind> present) {
        if (!present.isEmpty()) {
            throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "key id " + keyId + " already holds "
                    + names(present) + " in " + location(keyId) + ": refusing to overwrite; choose another key id"
                    + " or delete it first", KeygenException.Setting.KEY_ID, null);
        }
    }

    /** Runs the writer into a fresh staged set and checks it before anything is uploaded. */
    private StagedKeySet stage(KeySetWriter writer) throws IOException {
        StagedKeySet staged = new StagedKeySet();
        try {
            writer.writeTo(staged);
            staged.requireComplete();
            staged.requireSecretsAtMost(secrets.limit().maxValueBytes(), secrets.limit().service());
            return staged;
        } catch (IOException | RuntimeException e) {
            staged.close();
            throw e;
        }
    }

    private void upload(String keyId, StagedKeySet staged) {
        String saveId = UUID.randomUUID().toString(); // lets an object store tell its own objects
        List<KeyFileKind> written = new ArrayList<>();
        for (KeyFileKind kind : UPLOAD_ORDER) {
            if (staged.get(kind) == null) {
                continue;
            }
            try {
                if (kind.secret()) {
                    secrets.create(keyId, kind, staged.get(kind).text());
                } else {
                    objects.create(keyId, kind, staged, saveId);
                }
                written.add(kind);
            } catch (IOException | RuntimeException e) {
                throw uploadFailed(keyId, kind, e, rollback(keyId, written, saveId));
            }
        }
        for (KeyFileKind kind : written) {
            if (!kind.secret()) {
                try {
                    objects.confirm(keyId, kind, staged, saveId);
                } catch (IOException | RuntimeException e) {
                    throw failed("re-checking " + where(keyId, kind), e);
                }
            }
        }
    }

    private KeygenException uploadFailed(String keyId, KeyFileKind kind, Exception e, String rollback) {
        boolean taken = e instanceof KeygenException ke && ke.kind() == KeygenException.Kind.TARGET_EXISTS;
        String message = "uploading " + kind.fileName() + " to " + where(keyId, kind) + " failed: " + why(e)
                + (taken ? " (key id " + keyId + " was taken by another writer meanwhile)" : "") + rollback;
        if (e instanceof KeygenException ke) {
            return new KeygenException(ke.kind(), message, taken ? KeygenException.Setting.KEY_ID
                    : ke.setting().orElse(null), causeOf(ke));
        }
        return new KeygenException(e instanceof IOException ? KeygenException.Kind.IO : KeygenException.Kind.STORE,
                message, null, e);
    }

    /**
     * Removes the parts this save wrote, newest first (objects only while they are this save's, never
     * another writer's); returns the outcome for the error message.
     */
    private String rollback(String keyId, List<KeyFileKind> written, String saveId) {
        if (written.isEmpty()) {
            return "; nothing was written";
        }
        List<String> failed = new ArrayList<>();
        List<KeyFileKind> removed = new ArrayList<>();
        boolean kept = false;
        for (int i = written.size() - 1; i >= 0; i--) {
            KeyFileKind kind = written.get(i);
            try {
                if (kind.secret()) {
                    secrets.delete(keyId, kind);
                    removed.add(kind);
                } else if (objects.deleteOwn(keyId, kind, saveId)) {
                    removed.add(kind);
                } else {
                    kept = true;
                }
            } catch (IOException | RuntimeException e) {
                failed.add(kind.fileName() + " (" + why(e) + ")");
            }
        }
        Collections.reverse(removed);
        return failed.isEmpty()
                ? "; rolled back " + (removed.isEmpty() ? "nothing of its own" : names(removed))
                        + (kept ? " (another writer's objects kept)" : "")
                : "; ROLLBACK FAILED for " + String.join(", ", failed) + ": remove key id " + keyId + " by hand";
    }

    @Override
    public final Set<KeyFileKind> parts(String keyId) {
        KeyIds.check(keyId);
        Set<KeyFileKind> present = EnumSet.noneOf(KeyFileKind.class);
        for (KeyFileKind kind : KeyFileKind.values()) {
            try {
                if (kind.secret() ? secrets.exists(keyId, kind) : objects.exists(keyId, kind)) {
                    present.add(kind);
                }
            } catch (IOException | RuntimeException e) {
                throw failed("checking " + where(keyId, kind), e);
            }
        }
        return present;
    }

    @Override
    public final InputStream open(String keyId, KeyFileKind kind) {
        try {
            return kind.secret() ? new ByteArrayInputStream(secrets.get(keyId, kind)) : objects.open(keyId, kind);
        } catch (IOException | RuntimeException e) {
            throw failed("reading " + where(keyId, kind), e);
        }
    }

    /**
     * Replaces one secret part through the secret port ({@link SecretStore#replace}: one atomic write
     * in the service, older values removed where it allows), after the checks a save makes: the part is
     * a secret, the envelope within the service's limit.
     */
    @Override
    public final void replaceSecret(String keyId, KeyFileKind kind, byte[] envelope) {
        KeyIds.check(keyId);
        requireSecret(kind);
        if (envelope.length > secrets.limit().maxValueBytes()) {
            throw KeygenException.usage(kind.fileName() + " of " + envelope.length + " bytes is over the "
                    + secrets.limit().service() + " limit of " + secrets.limit().maxValueBytes() + " bytes");
        }
        try {
            secrets.replace(keyId, kind, new String(envelope, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw failed("replacing " + where(keyId, kind), e);
        }
    }

    /** Deletes one secret part at once (as {@link #delete} does it); the public parts stay. */
    @Override
    public final void destroySecret(String keyId, KeyFileKind kind) {
        KeyIds.check(keyId);
        requireSecret(kind);
        try {
            secrets.delete(keyId, kind);
        } catch (IOException | RuntimeException e) {
            throw failed("deleting " + where(keyId, kind), e);
        }
    }

    private static void requireSecret(KeyFileKind kind) {
        if (!kind.secret()) {
            throw KeygenException.usage(kind.fileName() + " is a public part: only SecKey and MetadataKey are replaced"
                    + " or destroyed one by one");
        }
    }

    /** Deletes every part, SecKey first so the set stops existing at once; missing parts are fine. */
    @Override
    public final void delete(String keyId) {
        KeyIds.check(keyId);
        for (int i = UPLOAD_ORDER.size() - 1; i >= 0; i--) {
            KeyFileKind kind = UPLOAD_ORDER.get(i);
            try {
                if (kind.secret()) {
                    secrets.delete(keyId, kind);
                } else {
                    objects.delete(keyId, kind);
                }
            } catch (IOException | RuntimeException e) {
                throw failed("deleting " + where(keyId, kind), e);
            }
        }
    }

    /** Key ids with every public part and SecKey present: one listing of each store. */
    @Override
    public final List<String> list() throws IOException {
        Set<String> ids = new TreeSet<>(objects.ids());
        ids.retainAll(secrets.holdingSecKey(ids));
        return new ArrayList<>(ids);
    }

    /** {@code <what>: <the port's error>}, keeping its kind, setting and the service's exception as cause. */
    private static KeygenException failed(String what, Exception e) {
        if (e instanceof KeygenException ke) {
            return new KeygenException(ke.kind(), what + ": " + ke.getMessage(), ke.setting().orElse(null), causeOf(ke));
        }
        return new KeygenException(e instanceof IOException ? KeygenException.Kind.IO : KeygenException.Kind.STORE,
                what + ": " + why(e), null, e);
    }

    private static Throwable causeOf(KeygenException e) {
        return e.getCause() == null ? e : e.getCause();
    }

    /** A port's message; for anything else only the class and an I/O error's first line (no values). */
    private static String why(Exception e) {
        if (e instanceof KeygenException) {
            return e.getMessage();
        }
        String m = e instanceof IOException && e.getMessage() != null ? e.getMessage().lines().findFirst().orElse("") : "";
        return e.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }

    /** {@code SecKey.json, EncKey.json} for messages. */
    private static String names(Iterable<KeyFileKind> kinds) {
        List<String> n = new ArrayList<>();
        kinds.forEach(k -> n.add(k.fileName()));
        return String.join(", ", n);
    }
}
