package io.evkeygen.internal.keydir;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The undo journal of a reseal (docs/SEALING.md): before the new secret files are renamed over the
 * old ones, hard links to the old files are kept in {@code <dir>/.reseal-journal/}. The journal is
 * built as {@code .reseal-journal.tmp} and renamed into place, so it exists only when complete; once
 * both renames are done it is renamed to {@code .reseal-journal.done} (the commit point) and deleted. Whoever finds a journal restores the old
 * files from it, so a crash at any step leaves the old or the new key set, never a mix.
 * An flock on {@code EncKey.json} (which a reseal never changes) keeps a recovery from racing a
 * running reseal; no lock file is left behind.
 */
public final class ResealJournal {
    public static final String JOURNAL = ".reseal-journal";
    public static final String JOURNAL_TMP = ".reseal-journal.tmp";
    public static final String JOURNAL_DONE = ".reseal-journal.done";
    static final String LEGACY_LOCK = ".reseal.lock";
    static final String NEW_SUFFIX = ".reseal-new";
    public static final List<KeyFileKind> SECRETS = List.of(KeyFileKind.SECKEY, KeyFileKind.METADATAKEY);

    private ResealJournal() {}

    /**
     * Rolls back a reseal that did not finish, if any; a no-op (and no write) otherwise, and when
     * another process holds the reseal lock.
     */
    public static void recover(Path dir) throws IOException {
        if (!needsRecovery(dir)) {
            return;
        }
        try (Lock lock = Lock.tryAcquire(dir)) {
            if (lock != null) {
                recoverLocked(dir);
            }
        }
    }

    /**
     * True when a reseal stopped after its journal was complete and before it committed: the
     * journaled secret files are the valid ones until {@link #recover} restores them. Reads only.
     */
    public static boolean interrupted(Path dir) {
        return Files.isDirectory(dir.resolve(JOURNAL));
    }

    /**
     * The file that holds {@code kind} as recovery would leave the set: the journaled copy when an
     * interrupted reseal kept one, else the file itself. Reads only, so checks never write.
     */
    public static Path effectiveFile(Path dir, KeyFileKind kind) {
        Path backup = dir.resolve(JOURNAL).resolve(kind.fileName());
        return Files.isRegularFile(backup) ? backup : dir.resolve(kind.fileName());
    }

    static boolean needsRecovery(Path dir) {
        if (Files.exists(dir.resolve(JOURNAL)) || Files.exists(dir.resolve(JOURNAL_TMP))
                || Files.exists(dir.resolve(JOURNAL_DONE))) {
            return true;
        }
        return SECRETS.stream().anyMatch(k -> Files.exists(newFile(dir, k)));
    }

    /** With the lock held: restore every journaled file, then drop the journal and stray temporaries. */
    public static void recoverLocked(Path dir) throws IOException {
        Path journal = dir.resolve(JOURNAL);
        if (Files.isDirectory(journal)) {
            for (KeyFileKind kind : SECRETS) {
                Path backup = journal.resolve(kind.fileName());
                if (Files.exists(backup)) {
                    Files.move(backup, dir.resolve(kind.fileName()), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            FileTrees.fsyncDirectory(dir);
            FileTrees.deleteTree(journal);
        }
        FileTrees.deleteTree(dir.resolve(JOURNAL_TMP));
        Files.deleteIfExists(dir.resolve(LEGACY_LOCK)); // left by versions that locked a file of their own
        FileTrees.deleteTree(dir.resolve(JOURNAL_DONE));
        for (KeyFileKind kind : SECRETS) {
            Files.deleteIfExists(newFile(dir, kind));
        }
        FileTrees.fsyncDirectory(dir);
    }

    /** Writes the journal: hard links (copies where links are unsupported) of the current secret files; tells {@code steps}. */
    public static void write(Path dir, List<KeyFileKind> kinds, ResealSteps steps) throws IOException {
        Path tmp = dir.resolve(JOURNAL_TMP);
        FileTrees.deleteTree(tmp);
        Files.createDirectory(tmp);
        for (KeyFileKind kind : kinds) {
            Path target = tmp.resolve(kind.fileName());
            Path source = dir.resolve(kind.fileName());
            try {
                Files.createLink(target, source);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                try (FileChannel c = FileChannel.open(target, StandardOpenOption.WRITE)) {
                    c.force(true);
                }
            }
        }
        FileTrees.fsyncDirectory(tmp);
        steps.reached(ResealSteps.JOURNAL_TMP_WRITTEN);
        Files.move(tmp, dir.resolve(JOURNAL), StandardCopyOption.ATOMIC_MOVE);
        FileTrees.fsyncDirectory(dir);
        steps.reached(ResealSteps.JOURNAL_RENAMED);
    }

    /**
     * After both renames: renaming the journal to {@code .reseal-journal.done} is the commit point
     * (one atomic step, so a half-deleted journal is never mistaken for an undo record); then it goes.
     */
    public static void commit(Path dir, ResealSteps steps) throws IOException {
        FileTrees.fsyncDirectory(dir);
        Path done = dir.resolve(JOURNAL_DONE);
        FileTrees.deleteTree(done);
        Files.move(dir.resolve(JOURNAL), done, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.fsyncDirectory(dir);
        steps.reached(ResealSteps.COMMIT_RENAMED);
        FileTrees.deleteTree(done);
        FileTrees.fsyncDirectory(dir);
        steps.reached(ResealSteps.DONE_DELETED);
    }

    public static Path newFile(Path dir, KeyFileKind kind) {
        return dir.resolve("." + kind.fileName() + NEW_SUFFIX);
    }

    /** An exclusive lock on {@code <dir>/.reseal.lock}. */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        /**
         * The lock, or null when someone else holds it. It is an flock on EncKey.json, which a reseal
         * never changes (opened for writing, never written), so no lock file outlives the process.
         */
        public static Lock tryAcquire(Path dir) throws IOException {
            FileChannel c = FileChannel.open(dir.resolve(KeyFileKind.ENCKEY.fileName()), StandardOpenOption.WRITE);
            try {
                FileLock l = c.tryLock();
                if (l != null) {
                    return new Lock(c, l);
                }
            } catch (OverlappingFileLockException e) {
                // held by this JVM
            }
            c.close();
            return null;
        }

        public static Lock acquire(Path dir) throws IOException {
            Lock l = tryAcquire(dir);
            if (l == null) {
                throw new KeygenException(KeygenException.Kind.IO, "another reseal of " + dir + " is running");
            }
            return l;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
