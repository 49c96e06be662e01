package io.evkeygen.kms.server;

import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.kms.internal.proto.KmsV2.KeyGenStatus;
import io.evkeygen.kms.internal.proto.KmsV2.KeyState;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The KMS's key lifecycle over the store and its records, whatever the transport: what GenerateKey,
 * GetKeyStatus, GetKeyDetails, TransitionState and Delete mean, and whether a key may be used. Every
 * decision reads the record from the store (nothing is remembered here), so replicas sharing a store
 * agree, and the record's conditional writes decide races: one GenerateKey of a new id creates the
 * record, the others see it.
 *
 * <p>What a record means is settled on each read ({@link #resolve}): a set with no record is READY
 * and ACTIVE (an adopted record is written); a PENDING record whose set is complete is READY; one
 * whose lease has expired is FAILED (its server died); a ROTATING record whose lease has expired is
 * ACTIVE (the local reseal journal, or a remote store's atomic replace of one secret at a time, left
 * each secret under the old or the new sealing, both under the master key); a READY record whose
 * files are gone is a delete that did not finish, and goes.
 */
final class KeyLifecycle {
    static final String ADOPTED_ACTOR = "evkeygen-kms";

    private static final Map<KeyState, Set<KeyState>> TRANSITIONS = Map.of(
            KeyState.KEY_STATE_ACTIVE, EnumSet.of(KeyState.KEY_STATE_ACTIVE, KeyState.KEY_STATE_SUSPENDED,
                    KeyState.KEY_STATE_ROTATING, KeyState.KEY_STATE_DESTROYED),
            KeyState.KEY_STATE_SUSPENDED, EnumSet.of(KeyState.KEY_STATE_SUSPENDED, KeyState.KEY_STATE_ACTIVE,
                    KeyState.KEY_STATE_DESTROYED));

    private final KeyStore store;
    private final KmsRecords records;
    private final SecretCustody custody;
    private final Generations generations;
    private final Clock clock;
    private final Duration lease;
    private final List<Integer> dims;
    private final KmsSteps steps;
    private final Consumer<String> invalidate;

    KeyLifecycle(KeyStore store, KmsRecords records, SecretCustody custody, Generations generations, Clock clock,
            Duration lease, List<Integer> dims, KmsSteps steps, Consumer<String> invalidate) {
        this.store = store;
        this.records = records;
        this.custody = custody;
        this.generations = generations;
        this.clock = clock;
        this.lease = lease;
        this.dims = List.copyOf(dims);
        this.steps = steps;
        this.invalidate = invalidate;
    }

    KeyStore store() {
        return store;
    }

    SecretCustody custody() {
        return custody;
    }

    static String checkId(String keyId) {
        try {
            return KeyIds.check(keyId);
        } catch (RuntimeException e) {
            throw KmsError.invalid("key_id: " + e.getMessage());
        }
    }

    /** GenerateKey: PENDING when this call starts the generation, READY when the set exists. */
    KeyGenStatus generate(String keyId, GenerateSpec spec, String actor) throws IOException {
        KmsRecord claim = KmsRecord.pending(spec.preset(), spec.evalMode().name(), dims, spec.metadata(), clock.instant(),
                actor, generations.owner());
        while (true) {
            Optional<KmsRecords.Current> current = records.read(keyId);
            if (current.isEmpty()) {
                if (store.exists(keyId)) {
                    adopt(keyId);
                    return KeyGenStatus.KEY_GEN_STATUS_READY;
                }
                if (records.create(keyId, claim)) {
                    generations.start(keyId, spec);
                    return KeyGenStatus.KEY_GEN_STATUS_PENDING;
                }
                continue; // another caller or replica created it first: answer from its record
            }
            KmsRecord r = settle(keyId, current.get()).orElse(null);
            if (r == null) {
                continue;
            }
            switch (r.gen()) {
                case KEY_GEN_STATUS_READY -> {
                    refuseDestroyed(keyId, r);
                    return KeyGenStatus.KEY_GEN_STATUS_READY;
                }
                case KEY_GEN_STATUS_PENDING -> throw KmsError.fail("key " + keyId + ": generation already in progress");
                default -> {
                    Optional<KmsRecords.Current> again = records.read(keyId);
                    if (again.isPresent() && again.get().record().equals(r)
                            && records.replace(keyId, again.get(), claim)) {
                        store.delete(keyId); // parts a failed or abandoned generation left
                        generations.start(keyId, spec);
                        return KeyGenStatus.KEY_GEN_STATUS_PENDING;
                    }
                }
            }
        }
    }

    /** GetKeyStatus; a destroyed key is refused, as every call but GetKeyDetails and Delete. */
    KeyGenStatus status(String keyId) throws IOException {
        KmsRecord r = require(keyId);
        refuseDestroyed(keyId, r);
        return r.gen();
    }

    /**
     * GetKeyStatus that may wait: a key PENDING in a generation on this server is answered when the
     * generation settles, if that is within {@code wait}, else PENDING after it.
     */
    KeyGenStatus status(String keyId, Duration wait) throws IOException {
        KeyGenStatus s = status(keyId);
        if (s != KeyGenStatus.KEY_GEN_STATUS_PENDING || wait.isZero()) {
            return s;
        }
        try {
            return generations.awaitSettled(keyId, wait) ? status(keyId) : s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping: answer what is known
            return s;
        }
    }

    /** The record of {@code keyId} as it stands now; NotFoundError when there is none. */
    KmsRecord require(String keyId) throws IOException {
        return resolve(keyId).orElseThrow(() -> KmsError.notFound(keyId));
    }

    /** A READY key that is ACTIVE or ROTATING: what Download, TopK and the metadata calls need. */
    KmsRecord requireUsable(String keyId) throws IOException {
        KmsRecord r = require(keyId);
        if (r.gen() == KeyGenStatus.KEY_GEN_STATUS_PENDING) {
            throw KmsError.fail("key " + keyId + " is not ready: generation in progress");
        }
        if (r.gen() == KeyGenStatus.KEY_GEN_STATUS_FAILED) {
            throw KmsError.fail("key " + keyId + " is not ready: " + (r.error() == null ? "generation failed" : r.error()));
        }
        refuseDestroyed(keyId, r);
        if (r.state() == KeyState.KEY_STATE_SUSPENDED) {
            throw KmsError.fail("key " + keyId + " is suspended");
        }
        return r;
    }

    private static void refuseDestroyed(String keyId, KmsRecord r) {
        if (r.state() == KeyState.KEY_STATE_DESTROYED) {
            throw KmsError.fail("key " + keyId + " is destroyed: only GetKeyDetails and Delete are possible");
        }
    }

    /** GetKeyDetails: the record and the files present (a destroy that did not finish is finished first). */
    Details details(String keyId) throws IOException {
        KmsRecord r = require(keyId);
        Set<KeyFileKind> parts = store.parts(keyId);
        if (r.state() == KeyState.KEY_STATE_DESTROYED
                && (parts.contains(KeyFileKind.SECKEY) || parts.contains(KeyFileKind.METADATAKEY))) {
            custody.destroySecrets(keyId);
            parts = store.parts(keyId);
        }
        return new Details(r, r.gen() == KeyGenStatus.KEY_GEN_STATUS_READY ? parts : Set.of());
    }

    record Details(KmsRecord record, Set<KeyFileKind> parts) {}

    /** TransitionState. */
    void transition(String keyId, KeyState to, int version, String actor) throws IOException {
        if (version != 0 && version != 1) {
            throw KmsError.invalid("key " + keyId + " has no version " + Integer.toUnsignedString(version)
                    + ": every key has version 1");
        }
        while (true) {
            Optional<KmsRecords.Current> current = currentOrAdopted(keyId);
            KmsRecord r = settle(keyId, current.get()).orElse(null);
            if (r == null) {
                continue;
            }
            if (r.gen() != KeyGenStatus.KEY_GEN_STATUS_READY) {
                throw KmsError.fail("key " + keyId + " is not ready: its state cannot change yet");
            }
            if (r.state() == KeyState.KEY_STATE_ROTATING) {
                throw KmsError.fail("key " + keyId + ": rotation already in progress");
            }
            if (!TRANSITIONS.getOrDefault(r.state(), Set.of()).contains(to)) {
                throw KmsError.invalid("key " + keyId + " cannot go from " + name(r.state()) + " to " + name(to));
            }
            KmsRecords.Current latest = records.read(keyId).orElseThrow(() -> KmsError.notFound(keyId));
            if (!latest.record().equals(r)) {
                continue; // settle() rewrote it or someone else changed it: decide again
            }
            boolean rotating = to == KeyState.KEY_STATE_ROTATING;
            if ((rotating || to == KeyState.KEY_STATE_DESTROYED) && !custody.changesSecrets()) {
                throw SecretCustody.Remote.refused(keyId);
            }
            KmsRecord next = r.transition(to, clock.instant(), actor, rotating ? generations.owner() : null);
            if (!records.replace(keyId, latest, next)) {
                continue;
            }
            invalidate.accept(keyId);
            if (to == KeyState.KEY_STATE_DESTROYED) {
                custody.destroySecrets(keyId);
            } else if (rotating) {
                rotate(keyId, r.state(), actor);
            }
            return;
        }
    }

    /**
     * Reseals under the held lease, then ACTIVE; a failed reseal restores the state (the local journal
     * rolled it back; on a remote store each secret is under the old or the new sealing, both opening).
     */
    private void rotate(String keyId, KeyState from, String actor) throws IOException {
        generations.hold(keyId);
        try {
            try {
                steps.reached(keyId, KmsSteps.ROTATION_STARTED);
                custody.reseal(keyId);
            } catch (IOException | RuntimeException e) {
                records.update(keyId, r -> ours(r) ? r.transition(from, clock.instant(), r.actor(), null) : null);
                throw e;
            }
            steps.reached(keyId, KmsSteps.ROTATION_RESEALED);
            records.update(keyId, r -> ours(r) ? r.transition(KeyState.KEY_STATE_ACTIVE, clock.instant(), actor, null) : null);
        } finally {
            generations.release(keyId);
            invalidate.accept(keyId);
        }
    }

    /** Whether {@code r} is still this server's rotation (its lease may have expired and been settled meanwhile). */
    private boolean ours(KmsRecord r) {
        return r.state() == KeyState.KEY_STATE_ROTATING && generations.owner().equals(r.leaseOwner());
    }

    /** Delete: every file, then the record (a crash between them is finished by the next read). */
    void delete(String keyId) throws IOException {
        KmsRecord r = require(keyId);
        if (r.gen() == KeyGenStatus.KEY_GEN_STATUS_PENDING) {
            throw KmsError.fail("key " + keyId + ": generation in progress; delete it when it is READY or FAILED");
        }
        if (r.state() == KeyState.KEY_STATE_ROTATING) {
            throw KmsError.fail("key " + keyId + ": rotation in progress");
        }
        invalidate.accept(keyId);
        store.delete(keyId);
        records.delete(keyId);
    }

    /** The record, adopting a complete set without one; NotFoundError when neither exists. */
    private Optional<KmsRecords.Current> currentOrAdopted(String keyId) throws IOException {
        Optional<KmsRecords.Current> current = records.read(keyId);
        if (current.isEmpty()) {
            if (!store.exists(keyId)) {
                throw KmsError.notFound(keyId);
            }
            adopt(keyId);
            current = records.read(keyId);
            if (current.isEmpty()) {
                throw KmsError.notFound(keyId); // deleted meanwhile
            }
        }
        return current;
    }

    /** The settled record of {@code keyId}, or empty when the id is unknown. */
    Optional<KmsRecord> resolve(String keyId) throws IOException {
        while (true) {
            Optional<KmsRecords.Current> current = records.read(keyId);
            if (current.isEmpty()) {
                if (!store.exists(keyId)) {
                    return Optional.empty();
                }
                adopt(keyId);
                continue;
            }
            Optional<KmsRecord> settled = settle(keyId, current.get());
            if (settled.isPresent()) {
                return settled;
            }
            if (records.read(keyId).isEmpty() && !store.exists(keyId)) {
                return Optional.empty();
            }
        }
    }

    /**
     * What {@code current} means now, rewriting it when it is stale (see the class comment); empty
     * when the rewrite lost a race or the record went, so the caller reads again.
     */
    private Optional<KmsRecord> settle(String keyId, KmsRecords.Current current) throws IOException {
        KmsRecord r = current.record();
        KmsRecord fixed = null;
        boolean remove = false;
        if (r.gen() == KeyGenStatus.KEY_GEN_STATUS_PENDING) {
            if (store.exists(keyId)) {
                fixed = r.ready(clock.instant());
            } else if (r.leaseExpired(clock.instant(), lease)) {
                fixed = r.failed(clock.instant(), "generation abandoned: the server generating it stopped");
            }
        } else if (r.state() == KeyState.KEY_STATE_ROTATING && r.leaseExpired(clock.instant(), lease)) {
            fixed = r.transition(KeyState.KEY_STATE_ACTIVE, clock.instant(), r.actor(), null);
        } else if (r.gen() == KeyGenStatus.KEY_GEN_STATUS_READY && store.parts(keyId).isEmpty()) {
            remove = true;
        }
        if (remove) {
            records.delete(keyId);
            return Optional.empty();
        }
        if (fixed == null) {
            return Optional.of(r);
        }
        return records.replace(keyId, current, fixed) ? Optional.of(fixed) : Optional.empty();
    }

    /** Writes an ACTIVE record for a complete set found without one (imported by hand, generated by the CLI). */
    private void adopt(String keyId) throws IOException {
        records.create(keyId, KmsRecord.active(clock.instant(), ADOPTED_ACTOR));
    }

    /** Health: whether the store answers. */
    void probe() throws IOException {
        store.parts("kms-health-probe");
    }

    static String name(KeyState s) {
        return s.name().substring("KEY_STATE_".length());
    }
}
