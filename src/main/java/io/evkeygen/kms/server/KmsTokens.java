package io.evkeygen.kms.server;

import io.evkeygen.error.KeygenException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The callers a KMS accepts, from {@code --tokens FILE}: one line per token, {@code <principal>
 * <key-id-prefix> <sha256-hex of the token>} ({@code *} for every key id, {@code #} comments). The
 * file holds no token in clear. It is read again when it changes, so tokens added while the server
 * runs work at once; a change that does not parse is refused (logged) and the previous list stays.
 */
final class KmsTokens {
    private static final System.Logger LOG = System.getLogger(KmsTokens.class.getName());
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    static final String EVERY_KEY = "*";

    /** One accepted token: who it is and which key ids it may use. */
    record Entry(String principal, String prefix, byte[] sha256) {
        boolean covers(String keyId) {
            return prefix.equals(EVERY_KEY) || keyId.startsWith(prefix);
        }
    }

    private final Path file;
    private volatile Snapshot snapshot;

    private record Snapshot(List<Entry> entries, FileTime modified, long size) {}

    private KmsTokens(Path file, Snapshot snapshot) {
        this.file = file;
        this.snapshot = snapshot;
    }

    /** Reads {@code file}; a malformed line is a usage error naming its number. */
    static KmsTokens load(Path file) throws IOException {
        return new KmsTokens(file, read(file));
    }

    private static Snapshot read(Path file) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        return new Snapshot(parse(Files.readAllLines(file, StandardCharsets.UTF_8), file), modified, size);
    }

    static List<Entry> parse(List<String> lines, Path file) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 3 || !HASH.matcher(f[2]).matches()) {
                throw KeygenException.usage(file + " line " + (i + 1) + ": expected '<principal> <key-id-prefix>"
                        + " <sha256-hex of the token>' (64 lowercase hex characters)");
            }
            entries.add(new Entry(f[0], f[1], HexFormat.of().parseHex(f[2])));
        }
        return List.copyOf(entries);
    }

    /** The entries whose hash is the token's (compared in constant time), in file order. */
    List<Entry> match(String token) {
        refresh();
        byte[] hash = sha256(token);
        List<Entry> found = new ArrayList<>();
        for (Entry e : snapshot.entries()) {
            if (MessageDigest.isEqual(e.sha256(), hash)) {
                found.add(e);
            }
        }
        return found;
    }

    /** Re-reads the file when its time or size changed. */
    private void refresh() {
        Snapshot s = snapshot;
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
            if (modified.equals(s.modified()) && size == s.size()) {
                return;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "tokens file " + file + " unreadable, the previous tokens stay: "
                    + KmsError.oneLine(e.getMessage()));
            return;
        }
        synchronized (this) {
            try {
                snapshot = read(file);
            } catch (IOException | RuntimeException e) {
                snapshot = new Snapshot(s.entries(), modified, size); // not again until it changes again
                LOG.log(System.Logger.Level.WARNING, "tokens file " + file + " not reloaded, the previous tokens"
                        + " stay: " + KmsError.oneLine(e.getMessage()));
            }
        }
    }

    /** The principal of the first entry for {@code token} that covers {@code keyId}, if any. */
    static Optional<Entry> covering(List<Entry> entries, String keyId) {
        return entries.stream().filter(e -> e.covers(keyId)).findFirst();
    }

    /** The tokens file's line for {@code token} (no newline): what {@link #parse} reads back. */
    static String line(String principal, String prefix, String token) {
        return principal + " " + prefix + " " + HexFormat.of().formatHex(sha256(token));
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
