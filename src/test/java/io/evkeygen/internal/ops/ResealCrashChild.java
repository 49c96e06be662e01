package io.evkeygen.internal.ops;

import io.evkeygen.spi.KekProvider;
import io.evkeygen.testutil.SealTestKeys;
import java.nio.file.Path;

/**
 * The child JVM of {@link ResealCrashTest}: reseals {@code args[0]} from {@link SealTestKeys#kek}(10)
 * to {@link SealTestKeys#kek}(50). Run with {@code -Devkeygen.test.crashAt=<step>}, it dies at that
 * step (status 137); exit 0 means the reseal finished.
 */
public final class ResealCrashChild {
    private ResealCrashChild() {}

    public static void main(String[] args) throws Exception {
        try (KekProvider from = KekProvider.aes(ResealCrashTest.OLD); KekProvider to = KekProvider.aes(ResealCrashTest.NEW)) {
            Resealer.reseal(Path.of(args[0]), from, to);
        }
        System.exit(0);
    }
}
