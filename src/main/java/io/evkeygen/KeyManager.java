package io.evkeygen;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.keydir.LocalKeyStore;
import io.evkeygen.params.EvalMode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;

/** Get-or-create for key sets, like the Python SDK's {@code ev.init()}. */
public final class KeyManager {
    /** Key directories a thread of this process is generating: the other callers wait, then load. */
    private static final ConcurrentMap<Path, CountDownLatch> GENERATING = new ConcurrentHashMap<>();

    private KeyManager() {}

    /**
     * Loads and verifies the key set at {@code <keyPath>/<keyId>}, or generates it when there is none
     * (default preset, metadata encryption on, random seed). Null or empty {@code dims} and a null
     * {@code evalMode} are no request: an existing set is taken whatever its dims or mode, and a new
     * one gets the defaults (32..4096, RMP).
     */
    public static KeySet ensureKeys(Path keyPath, String keyId, Collection<Integer> dims, EvalMode evalMode)
            throws IOException {
        KeyGenerator.Builder b = KeyGenerator.builder().keyPath(keyPath).keyId(keyId).dims(dims);
        if (evalMode != null) {
            b.evalMode(evalMode);
        }
        try (KeyGenerator generator = b.build()) {
            return ensureKeys(generator);
        }
    }

    /**
     * Loads and verifies the key set {@code generator} would write, generating it only when its
     * directory holds no key file. An existing set that fails verification is an error (never
     * silently replaced), and so is one that does not fit what was set on the generator's builder:
     * another eval mode, fewer dims, or no metadata key when metadata encryption was asked for.
     * What the builder left at its defaults is not compared.
     *
     * <p>Safe under concurrency: callers in this process wait for the one that generates; a caller
     * that loses the race to another process (its rename finds the set complete) loads the winner's
     * set. Every caller gets the same set, checked as above.
     *
     * <p>A sealed set's secrets open with the generator's KEK: keep the generator open while the
     * returned set reads them ({@link KeyGenerator#close()} zeroes a KEK it was given as bytes).
     */
    public static KeySet ensureKeys(KeyGenerator generator) throws IOException {
        LocalKeyStore store = new LocalKeyStore(generator.keyPath());
        Path dir = store.directory(generator.keyId());
        generateUnlessPresent(generator, store, dir);
        KeySet keys = KeySet.load(dir, generator.sealer()); // a sealed set opens with the generator's KEK
        if (!fits(keys, generator)) {
            throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, "existing key set " + dir + " ("
                    + keys.evalMode() + ", dims " + keys.dims() + (keys.hasMetadataKey() ? "" : ", no metadata key")
                    + ") does not match the request (" + request(generator) + "): use another key id");
        }
        return keys;
    }

    /**
     * Generates the set unless a key file is there. One generation per directory at a time in this
     * process; across processes the atomic rename picks one winner, and a loser whose target is now a
     * complete set goes on to load it (an incomplete one is still refused: TARGET_EXISTS here, or the
     * load's verification).
     */
    private static void generateUnlessPresent(KeyGenerator generator, LocalKeyStore store, Path dir)
            throws IOException {
        String keyId = generator.keyId();
        while (store.parts(keyId).isEmpty()) {
            CountDownLatch mine = new CountDownLatch(1);
            CountDownLatch running = GENERATING.putIfAbsent(dir, mine);
            if (running != null) {
                awaitOther(running); // then look again: a failed generation leaves nothing, and we try ourselves
                continue;
            }
            try {
                if (store.parts(keyId).isEmpty()) {
                    generator.generateKeys();
                }
            } catch (KeygenException e) {
                if (e.kind() != KeygenException.Kind.TARGET_EXISTS || !store.exists(keyId)) {
                    throw e;
                }
            } finally {
                GENERATING.remove(dir, mine);
                mine.countDown();
            }
            return;
        }
    }

    private static void awaitOther(CountDownLatch running) throws InterruptedIOException {
        try {
            running.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while another thread generated the key set");
        }
    }

    /** Only what was set explicitly on the builder counts; MM sets have no dims to compare. */
    private static boolean fits(KeySet keys, KeyGenerator generator) {
        return (!generator.evalModeGiven() || keys.evalMode() == generator.evalMode())
                && (!generator.dimsGiven() || keys.evalMode() == EvalMode.MM || keys.dims().containsAll(generator.dims()))
                && (!generator.metadataEncryptionGiven() || !generator.metadataEncryption() || keys.hasMetadataKey());
    }

    /** The explicit part of the request, e.g. {@code RMP, dims [4096]}. */
    private static String request(KeyGenerator generator) {
        List<String> parts = new ArrayList<>();
        if (generator.evalModeGiven()) {
            parts.add(generator.evalMode().toString());
        }
        if (generator.dimsGiven()) {
            parts.add("dims " + generator.dims());
        }
        if (generator.metadataEncryptionGiven() && generator.metadataEncryption()) {
            parts.add("metadata encryption");
        }
        return String.join(", ", parts);
    }
}
