package io.evkeygen.kms.server;

import io.evkeygen.KeyGenerator;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The KMS's background work: generations run on a small pool while the caller polls, and every
 * lease this server holds (a generation, queued or running, or a rotation) gets a heartbeat in its
 * record every third of the lease, so that other replicas see the work alive, and see it abandoned
 * when this process dies. A generation saves the whole set (the store's save is all or nothing) and
 * then marks the record READY; a failure removes whatever parts exist and marks it FAILED.
 */
final class Generations implements AutoCloseable {
    private static final Logger LOG = System.getLogger(Generations.class.getName());

    private final KeyStore store;
    private final KmsRecords records;
    private final KekProvider master;
    private final List<Integer> dims;
    private final Clock clock;
    private final String owner;
    private final KmsSteps steps;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** This server's generations under way, each completed once its record says READY or FAILED. */
    private final Map<String, CompletableFuture<Void>> settling = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final int cores = Runtime.getRuntime().availableProcessors();
    private volatile boolean closing;

    Generations(KeyStore store, KmsRecords records, KekProvider master, List<Integer> dims, Clock clock,
                Duration lease, String owner, int threads, KmsSteps steps, Runnable housekeeping) {
        this.store = store;
        this.records = records;
        this.master = master;
        this.dims = List.copyOf(dims);
        this.clock = clock;
        this.owner = owner;
        this.steps = steps;
        this.workers = Executors.newFixedThreadPool(threads, daemon("kms-generation"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("kms-heartbeat"));
        long period = Math.max(1, lease.toMillis() / 3);
        timer.scheduleAtFixedRate(() -> {
            try {
                heartbeat();
                housekeeping.run();
            } catch (RuntimeException e) { // a periodic task that throws is never run again
                LOG.log(Level.WARNING, "KMS housekeeping failed: " + KmsError.oneLine(String.valueOf(e.getMessage())));
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** This server's lease owner id, written into the records it claims. */
    String owner() {
        return owner;
    }

    /** Keeps the lease of {@code keyId} alive until {@link #release}. */
    void hold(String keyId) {
        held.add(keyId);
    }

    void release(String keyId) {
        held.remove(keyId);
    }

    /** Starts generating {@code keyId}, whose PENDING record this server has just claimed. */
    void start(String keyId, GenerateSpec spec) {
        hold(keyId);
        CompletableFuture<Void> settled = new CompletableFuture<>();
        settling.put(keyId, settled);
        try {
            workers.execute(() -> {
                int threads = threadsPerSet(cores, running.incrementAndGet());
                try {
                    generate(keyId, spec, threads);
                } finally {
                    running.decrementAndGet();
                    spec.wipe();
                    release(keyId);
                    settling.remove(keyId, settled);
                    settled.complete(null);
                }
            });
        } catch (RuntimeException e) { // shutting down: the record stays PENDING until its lease expires
            settling.remove(keyId, settled);
            release(keyId);
            throw e;
        }
    }

    /**
     * Waits at most {@code timeout} for this server's generation of {@code keyId} to record READY or
     * FAILED: true once it has, false when it is still running or runs elsewhere (another replica, or
     * none). Lets GetKeyStatus answer a poller the moment its key is ready, instead of on its next poll.
     */
    boolean awaitSettled(String keyId, Duration timeout) throws InterruptedException {
        CompletableFuture<Void> settled = settling.get(keyId);
        if (settled == null) {
            return false;
        }
        try {
            settled.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // never completed exceptionally; settled either way
        }
    }

    /**
     * Worker threads for a set that starts while {@code running} sets (itself included) are under way:
     * the cores the others leave, at least one. A lone set uses every core; once as many sets run as
     * there are cores, splitting one only adds hand-offs (the keys do not depend on it).
     */
    static int threadsPerSet(int cores, int running) {
        return Math.max(1, cores / Math.max(1, running));
    }

    private void generate(String keyId, GenerateSpec spec, int threads) {
        try (KeyGenerator generator = KeyGenerator.builder().keyId(keyId).preset(spec.preset())
                .evalMode(spec.evalMode()).dims(dims).metadataEncryption(spec.metadata()).seed(spec.seed())
                .threads(threads).seal(master).build()) {
            steps.reached(keyId, KmsSteps.GENERATION_STARTED);
            generator.generateKeys(store);
            steps.reached(keyId, KmsSteps.GENERATION_SAVED);
            records.update(keyId, r -> owner.equals(r.leaseOwner()) ? r.ready(clock.instant()) : null);
        } catch (IOException | RuntimeException e) {
            if (closing) {
                return; // stopped by a shutdown: the record stays PENDING until its lease expires, as after a crash
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.log(Level.WARNING, "generation of key " + KmsError.oneLine(keyId) + " failed: " + KmsError.oneLine(why));
            try {
                if (store.exists(keyId)) { // saved, only the record update failed
                    records.update(keyId, r -> owner.equals(r.leaseOwner()) ? r.ready(clock.instant()) : null);
                    return;
                }
                store.delete(keyId); // no half set stays behind
                records.update(keyId, r -> owner.equals(r.leaseOwner())
                        ? r.failed(clock.instant(), "generation failed: " + KmsError.oneLine(why)) : null);
            } catch (IOException | RuntimeException cleanup) {
                LOG.log(Level.WARNING, "cannot record the failed generation of key " + KmsError.oneLine(keyId)
                        + ": " + KmsError.oneLine(String.valueOf(cleanup.getMessage())));
            }
        }
    }

    private void heartbeat() {
        for (String keyId : held) {
            try {
                records.update(keyId, r -> owner.equals(r.leaseOwner()) ? r.heartbeat(clock.instant()) : null);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "lease heartbeat of key " + KmsError.oneLine(keyId) + " failed: "
                        + KmsError.oneLine(String.valueOf(e.getMessage())));
            }
        }
    }

    /** Stops taking work; running generations are abandoned (their leases expire, as after a crash). */
    @Override
    public void close() {
        closing = true;
        timer.shutdownNow();
        workers.shutdownNow();
    }
}
