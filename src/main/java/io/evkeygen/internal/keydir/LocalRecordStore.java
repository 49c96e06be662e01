package io.evkeygen.internal.keydir;

import io.evkeygen.secret.OwnerOnly;
import io.evkeygen.spi.KeyIds;
import io.evkeygen.spi.RecordStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * {@link RecordStore} in a hidden directory of a local key path ({@code <root>/.records/<namespace>/<keyId>},
 * never listed as a key set). A write puts the record in a private temporary file and fsyncs it,
 * then, holding a lock on {@code .lock} in that directory (a file lock for other processes, a JVM lock
 * for this one: file locks are per process), checks and renames it into place, and fsyncs the
 * directory once the lock is released: readers see the old or the new record, never a torn one, and
 * writers of other records wait only for each other's check and rename, not for the disk. The tag is
 * the SHA-256 of the record's bytes, so a replace is refused if anyone wrote since.
 */
final class LocalRecordStore implements RecordStore {
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;

    LocalRecordStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public Optional<Versioned> read(String keyId) throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(file(keyId));
            return Optional.of(new Versioned(bytes, tag(bytes)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean create(String keyId, byte[] bytes) throws IOException {
        Path target = file(keyId);
        if (Files.exists(target)) {
            return false;  // checked again under the lock; this spares a doomed write its fsync
        }
        return install(target, bytes, () -> !Files.exists(target));
    }

    @Override
    public boolean replace(String keyId, byte[] bytes, String tag) throws IOException {
        Path target = file(keyId);
        return install(target, bytes, () -> {
            Optional<Versioned> now = read(keyId);
            return now.isPresent() && now.get().tag().equals(tag);
        });
    }

    /** The check a write makes under the lock, just before its rename. */
    @FunctionalInterface
    private interface Precondition {
        boolean holds() throws IOException;
    }

    @Override
    public void delete(String keyId) throws IOException {
        Path target = file(keyId);
        try (Locked ignored = lock()) {
            Files.deleteIfExists(target);
            FileTrees.fsyncDirectory(dir);
        }
    }

    @Override
    public Set<String> ids() throws IOException {
        Set<String> ids = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).forEach(ids::add);
        }
        return ids;
    }

    private Path file(String keyId) {
        return dir.resolve(KeyIds.check(keyId));
    }

    /**
     * Writes {@code bytes} to a fresh private file and fsyncs it, then renames it onto {@code target}
     * if {@code precondition} holds under the lock; the directory's fsync, after the lock, makes the
     * rename durable before this returns true.
     */
    private boolean install(Path target, byte[] bytes, Precondition precondition) throws IOException {
        OwnerOnly.createDirectories(dir);
        Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel c = OwnerOnly.create(tmp, false, a -> FileChannel.open(tmp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), a))) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    c.write(b);
                }
                c.force(true);
            }
            try (Locked ignored = lock()) {
                if (!precondition.holds()) {
                    return false;
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            FileTrees.fsyncDirectory(dir);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Locked lock() throws IOException {
        OwnerOnly.createDirectories(dir);
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
        jvm.lock();
        FileChannel channel = null;
        try {
            Path lockFile = dir.resolve(".lock");
            channel = OwnerOnly.create(lockFile, false, a -> FileChannel.open(lockFile,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), a));
            return new Locked(jvm, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            jvm.unlock();
            throw e;
        }
    }

    private record Locked(ReentrantLock jvm, FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                channel.close(); // releases the file lock
            } finally {
                jvm.unlock();
            }
        }
    }

    static String tag(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
