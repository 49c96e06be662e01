package io.evkeygen.spi;

import io.evkeygen.secret.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Private work directories named {@code <prefix><pid>-<12 hex>}: the pid tells a crashed run's
 * leftover (its process is gone) from a concurrent run's work in progress (its process is alive), so
 * a later run removes only the stale ones. Key-directory staging and the remote stores' upload
 * staging ({@code spi.remote.StagedKeySet}) both name theirs this way.
 */
public final class PidDirectories {
    /** Bytes a name adds to its prefix: a pid of up to 7 digits, '-', 12 hex. */
    public static final int SUFFIX_LENGTH = 7 + 1 + 12;

    /** Removes one stale directory and what it holds. */
    @FunctionalInterface
    public interface Remover {
        void remove(Path dir) throws IOException;
    }

    private PidDirectories() {}

    /** Creates {@code parent/<prefix><our pid>-<12 random hex>}, owner-only ({@link OwnerOnly#directory(Path)}). */
    public static Path create(Path parent, String prefix) throws IOException {
        byte[] rnd = new byte[6];
        new SecureRandom().nextBytes(rnd);
        Path dir = parent.resolve(prefix + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(rnd));
        // owner-only from creation: nobody can list or open the files while they are written
        return OwnerOnly.createDirectory(dir);
    }

    /**
     * Removes every directory in {@code parent} named {@code <a match of prefixRegex><pid>-<12 hex>}
     * whose process no longer runs, with {@code remover}. Goes on past one that cannot be removed (another
     * user's, in a shared temporary directory) and throws the first such failure at the end.
     */
    public static void removeStale(Path parent, String prefixRegex, Remover remover) throws IOException {
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        Pattern name = Pattern.compile(prefixRegex + "(\\d{1,10})-[0-9a-f]{12}");
        IOException first = null;
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                Matcher m = name.matcher(p.getFileName().toString());
                if (m.matches() && !alive(Long.parseLong(m.group(1))) && ours(p)) {
                    try {
                        remover.remove(p);
                    } catch (IOException e) {
                        first = first == null ? e : first;
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * A directory, not a link, of this process's user: in a shared temporary directory another user's
     * entry of that name could lead elsewhere (a link, or a directory swapped for one), ours cannot.
     */
    private static boolean ours(Path p) {
        try {
            UserPrincipal me = OwnerOnly.currentUser(p);
            return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).equals(me);
        } catch (IOException | UnsupportedOperationException e) {
            return false; // no owner to compare: left alone
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
