package io.evkeygen.spi.remote;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.RecordStore;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A remote store's {@link RecordStore}: the records of one namespace are documents
 * {@code <prefix>/.<namespace>-records/<key_id>.json} in a {@link VersionedObjects}, beside the key
 * sets. A leading dot keeps the folder out of every key-set listing ({@link KeyIds#check} refuses such
 * an id, so {@link RemoteLayout#idsHolding} skips it). Failures are one line naming the record and the
 * service's error; a refused condition is a false, never an error.
 */
public final class RemoteRecords implements RecordStore {
    private final VersionedObjects objects;
    private final String folder;

    /**
     * @param namespace lower-case letters, digits and '-' (for example {@code kms})
     */
    public RemoteRecords(RemoteLayout layout, String namespace, VersionedObjects objects) {
        this.objects = objects;
        this.folder = layout.root() + "." + checkNamespace(namespace) + "-records/";
    }

    private static String checkNamespace(String namespace) {
        if (namespace == null || !namespace.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("a record namespace is lower-case letters, digits and '-'");
        }
        return namespace;
    }

    /** The folder every record of this namespace lives in ({@code <prefix>/.kms-records/}). */
    public String folder() {
        return folder;
    }

    private String name(String keyId) {
        return folder + KeyIds.check(keyId) + ".json";
    }

    @Override
    public Optional<Versioned> read(String keyId) throws IOException {
        String name = name(keyId);
        return call("reading", name, () -> objects.read(name));
    }

    @Override
    public boolean create(String keyId, byte[] bytes) throws IOException {
        String name = name(keyId);
        return call("creating", name, () -> objects.createIfAbsent(name, bytes.clone()));
    }

    @Override
    public boolean replace(String keyId, byte[] bytes, String tag) throws IOException {
        String name = name(keyId);
        if (tag == null || tag.isEmpty()) {
            return false; // no version was read: nothing to compare with
        }
        return call("replacing", name, () -> objects.replaceIfTag(name, bytes.clone(), tag));
    }

    @Override
    public void delete(String keyId) throws IOException {
        String name = name(keyId);
        call("deleting", name, () -> {
            objects.delete(name);
            return null;
        });
    }

    /** The key ids of {@code <folder><key_id>.json} documents; anything else in the folder is skipped. */
    @Override
    public Set<String> ids() throws IOException {
        Set<String> ids = new TreeSet<>();
        for (String n : call("listing", folder, () -> objects.names(folder))) {
            if (n.startsWith(folder) && n.endsWith(".json")) {
                String id = n.substring(folder.length(), n.length() - ".json".length());
                if (isKeyId(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private static boolean isKeyId(String id) {
        try {
            KeyIds.check(id);
            return true;
        } catch (KeygenException e) {
            return false;
        }
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    /** Runs a port call; its failure gains {@code <what> record <where>: } in front, keeping kind and cause. */
    private <T> T call(String what, String name, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (KeygenException e) {
            throw new KeygenException(e.kind(), what + " record " + objects.where(name) + ": " + e.getMessage(),
                    e.setting().orElse(null), e.getCause() == null ? e : e.getCause());
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
            throw new IOException(what + " record " + objects.where(name) + ": " + e.getClass().getSimpleName() + m, e);
        }
    }
}
