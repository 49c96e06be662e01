package io.evkeygen.internal.keydir;

import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.OwnerOnly;
import io.evkeygen.spi.KeyFileSink;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.KeySetWriter;
import io.evkeygen.spi.KeyStore;
import io.evkeygen.spi.RecordStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Key sets in a local directory: {@code <root>/<keyId>/}, or {@code <root>} itself for a null key id.
 * A save writes into a hidden staging sibling, fsyncs the files and the directory, renames it onto
 * the target and fsyncs the parent, so a crash leaves nothing or a complete set. Secret files are
 * created owner read/write only (never widened and narrowed later).
 */
public final class LocalKeyStore implements KeyStore {
    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private final Path root;

    public LocalKeyStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The directory a key id maps to; null means the root itself (the CLI without {@code --key_id}). */
    public Path directory(String keyId) {
        if (keyId == null) {
            return root;
        }
        KeyIds.check(keyId);
        if (keyId.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_ID_BYTES) {
            throw KeygenException.usage(KeygenException.Setting.KEY_ID, "key id is longer than " + MAX_KEY_ID_BYTES
                    + " bytes (UTF-8): a key directory's staging name must fit the 255-byte file-name limit");
        }
        return root.resolve(keyId);
    }

    /** Longest key id, in UTF-8 bytes, whose staging directory name still fits in 255 bytes. */
    public static final int MAX_KEY_ID_BYTES = 255 - StagingDirectories.NAME_OVERHEAD;

    @Override
    public String save(String keyId, KeySetWriter writer) throws IOException {
        Path target = directory(keyId);
        Path parent = target.getParent();
        if (parent == null) {
            throw KeygenException.usage("cannot write a key set to the file-system root");
        }
        Files.createDirectories(parent);
        StagingDirectories.removeStale(parent);
        refuseExisting(target); // early, before minutes of generation; the rename checks again
        Path staging = StagingDirectories.create(target);
        boolean committed = false;
        SyncGroup syncs = new SyncGroup();
        try {
            try {
                writer.writeTo(new DirectorySink(staging, syncs));
            } finally {
                syncs.await(); // on failure too: no sync may still hold a file of a tree about to be deleted
            }
            FileTrees.fsyncDirectory(staging);
            commit(staging, target);
            committed = true;
            FileTrees.fsyncDirectory(parent);
            return target.toString();
        } finally {
            if (!committed) {
                FileTrees.deleteTree(staging);
            }
        }
    }

    /**
     * rename(2) replaces an empty directory atomically and fails on a non-empty one. Windows (and
     * jimfs) refuse to rename onto any existing directory: an empty target is removed and the rename
     * tried once more, so the target holds nothing or the complete set there too (a run that fills the
     * name in between makes the second rename fail, as a non-empty target does on POSIX).
     */
    private static void commit(Path staging, Path target) throws IOException {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException e) {
            if (!removeEmptyDirectory(target)) {
                if (Files.exists(target)) {
                    throw targetExists(target); // someone filled the target while we generated
                }
                throw e;
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException again) {
                if (Files.exists(target)) {
                    throw targetExists(target); // filled after the empty one went
                }
                throw again;
            }
        }
    }

    /** Deletes {@code dir} when it is an empty directory (not a link); false when it is anything else or gone. */
    private static boolean removeEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            Files.delete(dir);
            return true;
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            return false;
        }
    }

    private static void refuseExisting(Path target) throws IOException {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new KeygenException(KeygenException.Kind.TARGET_EXISTS, target + " exists and is not a directory");
        }
        if (FileTrees.isNonEmptyDirectory(target)) {
            throw targetExists(target);
        }
    }

    private static KeygenException targetExists(Path target) {
        return new KeygenException(KeygenException.Kind.TARGET_EXISTS,
                target + " is not empty: refusing to overwrite; choose another key id or remove it",
                KeygenException.Setting.KEY_ID, null);
    }

    @Override
    public Set<KeyFileKind> parts(String keyId) {
        Path dir = directory(keyId);
        Set<KeyFileKind> present = EnumSet.noneOf(KeyFileKind.class);
        for (KeyFileKind kind : KeyFileKind.values()) {
            if (Files.isRegularFile(dir.resolve(kind.fileName()))) {
                present.add(kind);
            }
        }
        return present;
    }

    @Override
    public InputStream open(String keyId, KeyFileKind kind) throws IOException {
        Path file = directory(keyId).resolve(kind.fileName());
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new KeygenException(KeygenException.Kind.IO, "missing key file " + file, e);
        }
    }

    @Override
    public void delete(String keyId) throws IOException {
        Path dir = directory(keyId);
        for (KeyFileKind kind : KeyFileKind.values()) {
            Files.deleteIfExists(dir.resolve(kind.fileName()));
        }
        // Only an emptied directory goes: never remove files this store did not write.
        if (keyId != null && Files.isDirectory(dir) && !FileTrees.isNonEmptyDirectory(dir)) {
            Files.delete(dir);
        }
    }

    @Override
    public List<String> list() throws IOException {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(p) && exists(name)) {
                    ids.add(name);
                }
            }
        }
        return ids;
    }

    /**
     * Records under {@code <root>/.records/<namespace>/}: a hidden name, so never listed as a key set,
     * and on the same file system as the sets, so every process sharing the key path shares them.
     */
    @Override
    public RecordStore records(String namespace) {
        return new LocalRecordStore(root.resolve(".records").resolve(KeyIds.check(namespace)));
    }

    /** Opens each file once inside the staging directory; secret files owner-only from creation. */
    private final class DirectorySink implements KeyFileSink {
        private final Path dir;
        private final SyncGroup syncs;

        DirectorySink(Path dir, SyncGroup syncs) {
            this.dir = dir;
            this.syncs = syncs;
        }

        @Override
        public OutputStream open(KeyFileKind kind) throws IOException {
            Path file = dir.resolve(kind.fileName());
            FileChannel channel = kind.secret() ? OwnerOnly.create(file, false, a -> FileChannel.open(file, CREATE, a))
                    : FileChannel.open(file, CREATE);
            // the one large file goes around the page cache; the others are a few hundred KB at most
            return kind == KeyFileKind.EVALKEY ? DirectFileOutput.open(file, channel, syncs)
                    : new SyncedFileOutputStream(channel, syncs);
        }

        @Override
        public Path scratchDirectory() {
            return dir;
        }

        @Override
        public Path filesDirectory() {
            return dir;
        }
    }
}
