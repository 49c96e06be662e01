package io.evkeygen;

import io.evkeygen.params.EvalMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * A child process of {@link KeyManagerTest}: waits for a start file, so that all children race,
 * then get-or-creates {@code <keyPath>/<keyId>} and prints the SHA-256 of its EncKey.bin.
 */
public final class EnsureKeysChild {
    private EnsureKeysChild() {}

    public static void main(String[] args) throws Exception {
        Path keyPath = Path.of(args[0]);
        Path go = Path.of(args[2]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(go) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        KeySet keys = KeyManager.ensureKeys(keyPath, args[1], List.of(32), EvalMode.RMP);
        System.out.println(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(keys.encKeyBytes())));
    }
}
