package io.evkeygen.spi;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The steps every remote key store's {@code save} shares: refuse a key id that holds anything
 * (before minutes of generation), then stage the whole set and check it before the first upload.
 */
public final class RemoteSaves {
    /**
     * The order in which a remote store writes a set's parts; rollback and deletion run in reverse.
     * SecKey last: a set "exists" (SecKey, EncKey and EvalKey present) only once it is complete.
     */
    public static final List<KeyFileKind> UPLOAD_ORDER =
            List.of(KeyFileKind.EVALKEY, KeyFileKind.ENCKEY, KeyFileKind.METADATAKEY, KeyFileKind.SECKEY);

    private RemoteSaves() {}

    /** TARGET_EXISTS when {@code present} is not empty, naming the parts and where they are. */
    public static void refuseExisting(String keyId, Collection<KeyFileKind> present, String location) {
        if (!present.isEmpty()) {
            throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "key id " + keyId + " already holds "
                    + names(present) + " in " + location + ": refusing to overwrite; choose another key id or delete"
                    + " it first", KeygenException.Setting.KEY_ID, null);
        }
    }

    /**
     * Runs {@code writer} into a fresh {@link StagedKeySet} and checks it is complete and that its
     * secrets fit {@code service}'s limit of {@code maxSecretBytes}; the caller uploads and closes it.
     */
    public static StagedKeySet stage(KeySetWriter writer, long maxSecretBytes, String service) throws IOException {
        StagedKeySet staged = new StagedKeySet();
        try {
            writer.writeTo(staged);
            staged.requireComplete();
            staged.requireSecretsAtMost(maxSecretBytes, service);
            return staged;
        } catch (IOException | RuntimeException e) {
            staged.close();
            throw e;
        }
    }

    /** {@code SecKey.json, EncKey.json} for messages. */
    public static String names(Iterable<KeyFileKind> kinds) {
        List<String> n = new ArrayList<>();
        kinds.forEach(k -> n.add(k.fileName()));
        return String.join(", ", n);
    }
}
