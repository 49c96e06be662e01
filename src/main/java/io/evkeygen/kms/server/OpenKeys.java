package io.evkeygen.kms.server;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opened secrets (a score decryptor, a metadata cipher) kept briefly per key id so that a burst of
 * calls unseals once: at most {@code capacity} ids, each for {@code ttl}, least recently used first
 * out. An entry leaves on expiry, eviction or {@link #invalidate} (every transition and delete), and
 * is closed (its key zeroed) once the last call using it returns. Nothing here decides whether a
 * call may use the key: the state record is read on every call before this cache is asked.
 */
final class OpenKeys<T extends AutoCloseable> {
    /** Opens the secret of a key id. */
    @FunctionalInterface
    interface Opener<T> {
        T open(String keyId) throws IOException;
    }

    /** A borrowed secret; closing returns it. */
    final class Lease implements AutoCloseable {
        private final Entry entry;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        T get() {
            return entry.value;
        }

        @Override
        public void close() {
            release(entry);
        }
    }

    private final class Entry {
        final T value;
        final long expiresMillis;
        int users;
        boolean retired;

        Entry(T value, long expiresMillis) {
            this.value = value;
            this.expiresMillis = expiresMillis;
        }
    }

    private final int capacity;
    private final Duration ttl;
    private final Clock clock;
    private final Opener<T> opener;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    OpenKeys(int capacity, Duration ttl, Clock clock, Opener<T> opener) {
        this.capacity = capacity;
        this.ttl = ttl;
        this.clock = clock;
        this.opener = opener;
    }

    /** The cached secret of {@code keyId}, opened now if absent or expired. */
    Lease borrow(String keyId) throws IOException {
        synchronized (this) {
            sweep();
            Entry e = entries.get(keyId);
            if (e != null && e.expiresMillis > clock.millis()) {
                e.users++;
                return new Lease(e);
            }
            if (e != null) {
                retire(keyId);
            }
        }
        T value = opener.open(keyId); // outside the lock: unsealing may call a remote KMS
        synchronized (this) {
            Entry e = new Entry(value, clock.millis() + ttl.toMillis());
            e.users = 1;
            Entry old = entries.put(keyId, e);
            if (old != null) {
                retireEntry(old);
            }
            while (entries.size() > capacity) {
                Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
                Entry out = eldest.next().getValue();
                eldest.remove();
                retireEntry(out);
            }
            return new Lease(e);
        }
    }

    /** Drops {@code keyId}'s secret (closed when its last user returns it). */
    synchronized void invalidate(String keyId) {
        retire(keyId);
    }

    /** Drops everything (server shutdown). */
    synchronized void clear() {
        for (Entry e : entries.values()) {
            retireEntry(e);
        }
        entries.clear();
    }

    /** Closes expired secrets; the server runs it periodically so that an idle key does not stay open. */
    synchronized void sweep() {
        long now = clock.millis();
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.expiresMillis <= now) {
                it.remove();
                retireEntry(e);
            }
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private void retire(String keyId) {
        Entry e = entries.remove(keyId);
        if (e != null) {
            retireEntry(e);
        }
    }

    private void retireEntry(Entry e) {
        e.retired = true;
        if (e.users == 0) {
            closeQuietly(e.value);
        }
    }

    private synchronized void release(Entry e) {
        e.users--;
        if (e.retired && e.users == 0) {
            closeQuietly(e.value);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing zeroes memory; nothing to report to a caller that has gone
        }
    }
}
