package io.evkeygen.internal.ops;

import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.testutil.SealTestKeys;
import java.nio.file.Path;

/**
 * The child JVM of {@link ResealCrashTest}: reseals {@code args[0]} from {@link SealTestKeys#kek}(10)
 * to {@link SealTestKeys#kek}(50) and halts at step {@code args[1]} (status 137, as kill -9: no
 * shutdown hooks, no cleanup); exit 0 means the reseal finished.
 */
public final class ResealCrashChild {
    private ResealCrashChild() {}

    public static void main(String[] args) throws Exception {
        try (KekProvider from = KekProvider.aes(ResealCrashTest.OLD); KekProvider to = KekProvider.aes(ResealCrashTest.NEW)) {
            String crashAt = args[1];
            Resealer.reseal(Path.of(args[0]), from, to, new Resealer.Hook() {
                @Override
                public void beforeRename(KeyFileKind kind) {
                }

                @Override
                public void reached(String step) {
                    if (step.equals(crashAt)) {
                        Runtime.getRuntime().halt(137);
                    }
                }
            });
        }
        System.exit(0);
    }
}
