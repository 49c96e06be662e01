package io.evkeygen.internal.ops;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.envelope.EnvelopeHeader;
import io.evkeygen.internal.envelope.EnvelopeWriter;
import io.evkeygen.internal.keydir.FileTrees;
import io.evkeygen.internal.keydir.ResealJournal;
import io.evkeygen.internal.keydir.ResealSteps;
import io.evkeygen.internal.seal.Sealing;
import io.evkeygen.internal.seal.SecretFiles;
import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.internal.verify.KeySetVerifier;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.OwnerOnly;
import io.evkeygen.spi.KekProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Changes how a key set's secret files are sealed: rotates the KEK, seals an unsealed set, or
 * unseals one. Both SecKey.json and MetadataKey.json change, or neither ({@link ResealJournal});
 * EncKey.json and EvalKey.json are never touched. Every other envelope field is kept.
 */
public final class Resealer {
    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    /** Called before each rename and at each step (tests inject failures and crashes here). */
    @FunctionalInterface
    public interface Hook extends ResealSteps {
        void beforeRename(KeyFileKind kind) throws IOException;

        @Override
        default void reached(String step) {
        }
    }

    private Resealer() {}

    /**
     * Reseals the key set in {@code dir}: verified with {@code from} first (null: the set is
     * unsealed), then sealed with {@code to} (null: unsealed).
     */
    public static void reseal(Path dir, KekProvider from, KekProvider to) throws IOException {
        reseal(dir, from, to, kind -> { });
    }

    public static void reseal(Path dir, KekProvider from, KekProvider to, Hook hook) throws IOException {
        KeySetVerifier.verify(dir, from); // also rolls back an earlier interrupted reseal
        List<KeyFileKind> kinds = new ArrayList<>();
        for (KeyFileKind kind : ResealJournal.SECRETS) {
            if (Files.isRegularFile(dir.resolve(kind.fileName()))) {
                kinds.add(kind);
            }
        }
        try (ResealJournal.Lock lock = ResealJournal.Lock.acquire(dir)) {
            ResealJournal.recoverLocked(dir);
            try {
                for (KeyFileKind kind : kinds) {
                    writeNew(dir, kind, from, to);
                }
                FileTrees.fsyncDirectory(dir);
                hook.reached(ResealSteps.BEFORE_JOURNAL);
                ResealJournal.write(dir, kinds, hook);
                for (KeyFileKind kind : kinds) {
                    hook.beforeRename(kind);
                    Files.move(ResealJournal.newFile(dir, kind), dir.resolve(kind.fileName()),
                            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    hook.reached(ResealSteps.SECRET_RENAMED_PREFIX + kind.fileName());
                }
                ResealJournal.commit(dir, hook);
            } catch (IOException | RuntimeException | Error e) {
                try {
                    ResealJournal.recoverLocked(dir); // back to the old files
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /** The secret re-sealed into {@code .<name>.reseal-new}, owner-only, fsynced. */
    private static void writeNew(Path dir, KeyFileKind kind, KekProvider from, KekProvider to)
            throws IOException {
        SecretFiles.Opened old = SecretFiles.read(dir.resolve(kind.fileName()), kind, from);
        Path file = ResealJournal.newFile(dir, kind);
        try (FileChannel c = OwnerOnly.create(file, false, a -> FileChannel.open(file, CREATE, a))) {
            write(old, kind, to, Channels.newOutputStream(c));
            c.force(true);
        } finally {
            Arrays.fill(old.plain(), (byte) 0);
        }
    }

    /**
     * Reseals one secret envelope held in memory (a remote store's SecKey or MetadataKey): opened with
     * {@code from}, sealed under a fresh grant of {@code to}, and the result opened once with {@code to}
     * and compared with the old secret before it is returned. Every other envelope field is kept. The
     * unsealed secret stays in this method's buffers, zeroed before it returns.
     *
     * @throws KeygenException USAGE when {@code to} is null (this never unseals), INVALID_KEY or UNSEAL
     *         when the envelope does not open, INVALID_KEY when the resealed one does not give the same secret
     */
    public static byte[] resealEnvelope(byte[] envelope, KeyFileKind kind, KekProvider from, KekProvider to)
            throws IOException {
        if (to == null) {
            throw KeygenException.usage("resealing " + kind.fileName() + " in memory needs the KEK to seal with:"
                    + " it never unseals");
        }
        SecretFiles.Opened old = SecretFiles.read(new ByteArrayInputStream(envelope), kind, from, env -> { });
        byte[] oldPlain = old.plain();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(envelope.length + 256);
            write(old, kind, to, out);
            byte[] resealed = out.toByteArray();
            byte[] check = SecretFiles.read(new ByteArrayInputStream(resealed), kind, to, env -> { }).plain();
            try {
                if (!MessageDigest.isEqual(oldPlain, check)) {
                    throw KeygenException.invalidKey(kind.fileName() + ": the resealed envelope does not open to the"
                            + " same key");
                }
            } finally {
                Arrays.fill(check, (byte) 0);
            }
            return resealed;
        } finally {
            Arrays.fill(oldPlain, (byte) 0);
        }
    }

    /** {@code old} written resealed under {@code to} (null: unsealed); the caller zeroes {@code old}'s plaintext. */
    private static void write(SecretFiles.Opened old, KeyFileKind kind, KekProvider to, OutputStream out)
            throws IOException {
        EnvelopeHeader h = old.envelope().header();
        byte[] bin = old.plain();
        EnvelopeHeader header = h.withSeal(null);
        if (to != null) {
            Sealing.Sealed sealed = Sealing.seal(to, h.parameters(), h.kid(), kind, old.plain());
            bin = sealed.blob();
            header = h.withSeal(sealed.fields());
        }
        EnvelopeWriter.write(header, BinSource.ofBytes(bin), out);
    }
}
