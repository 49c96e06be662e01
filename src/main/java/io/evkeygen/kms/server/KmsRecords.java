package io.evkeygen.kms.server;

import io.evkeygen.spi.RecordStore;
import java.io.IOException;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The KMS's state records over the store's {@link RecordStore}: JSON in, {@link KmsRecord} out, with its tag. */
final class KmsRecords {
    /** A record as read, with the tag a conditional replace must present. */
    record Current(KmsRecord record, String tag) {}

    private final RecordStore store;

    KmsRecords(RecordStore store) {
        this.store = store;
    }

    Optional<Current> read(String keyId) throws IOException {
        Optional<RecordStore.Versioned> v = store.read(keyId);
        return v.map(x -> new Current(KmsRecord.fromJson(x.bytes()), x.tag()));
    }

    /** True when this call created it; false when a record exists (someone else won). */
    boolean create(String keyId, KmsRecord record) throws IOException {
        return store.create(keyId, record.toJson());
    }

    /** True when {@code current} was still the record and is now {@code next}. */
    boolean replace(String keyId, Current current, KmsRecord next) throws IOException {
        return store.replace(keyId, next.toJson(), current.tag());
    }

    /**
     * Applies {@code change} until it lands on an unchanged record (compare-and-set); a change that
     * returns null leaves the record alone. Returns the record written, or empty when there is none
     * or the change declined.
     */
    Optional<KmsRecord> update(String keyId, UnaryOperator<KmsRecord> change) throws IOException {
        while (true) {
            Optional<Current> cur = read(keyId);
            if (cur.isEmpty()) {
                return Optional.empty();
            }
            KmsRecord next = change.apply(cur.get().record());
            if (next == null) {
                return Optional.empty();
            }
            if (replace(keyId, cur.get(), next)) {
                return Optional.of(next);
            }
        }
    }

    void delete(String keyId) throws IOException {
        store.delete(keyId);
    }
}
