package io.evkeygen.testutil;

import io.evkeygen.KeyGenerator;
import io.evkeygen.spi.KekProvider;
import java.io.IOException;
import java.nio.file.Path;

/** Small real key sets (MM, dim 32: about a second) for seal tests. */
public final class SealTestKeys {
    private SealTestKeys() {}

    public static byte[] kek(int first) {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) (first + i);
        }
        return k;
    }

    public static Path generate(Path parent, String id, KekProvider sealer) throws IOException {
        return KeyGenerator.builder().keyPath(parent).keyId(id).dims(32).evalMode("mm").threads(2)
                .seal(sealer).build().generateKeys();
    }
}
