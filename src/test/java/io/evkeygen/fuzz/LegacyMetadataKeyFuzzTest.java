package io.evkeygen.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evkeygen.MetadataCipher;
import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.seal.LegacyMetadataKeys;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.testutil.FuzzExpectations;
import io.evkeygen.testutil.SealTestKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

/**
 * Fuzzes the readers of pyenvector's older MetadataKey layouts ({@link LegacyMetadataKeys}: legacy
 * JSON, sealed-key-v2 under the KEK {@link SealTestKeys#kek}(1)) with arbitrary bytes, directly and as a
 * lone MetadataKey.json file. Properties: {@code isLegacy} never throws; the readers refuse only with
 * the expected KeygenException kinds; a key they return is 32 bytes; and the strict
 * {@link MetadataCipher#fromFile} never takes a legacy layout: always INVALID_KEY. Seeds:
 * LegacyMetadataKeyFuzzTestInputs/layout/.
 */
class LegacyMetadataKeyFuzzTest {
    private static final Path FILE = scratchFile();

    private static Path scratchFile() {
        try {
            Path dir = Files.createTempDirectory("evk-fuzz-legacy");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("MetadataKey.json");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Other bytes are not a legacy layout: as a file they are envelopes, which EnvelopeReaderFuzzTest
     * fuzzes, so only legacy layouts take the (slower) file paths.
     */
    @FuzzTest(maxDuration = "30s")
    void layout(byte[] content) throws IOException {
        if (!LegacyMetadataKeys.isLegacy(content)) {
            return;
        }
        try (KekProvider kek = KekProvider.aes(SealTestKeys.kek(1))) {
            try {
                requireKey(LegacyMetadataKeys.open(content, "MetadataKey.json", kek));
            } catch (Throwable t) {
                FuzzExpectations.expected(t);
            }
            Files.write(FILE, content);
            try (MetadataCipher strict = MetadataCipher.fromFile(FILE, kek)) {
                throw new AssertionError("the strict path took a MetadataKey.json with nothing to bind it to");
            } catch (KeygenException e) {
                FuzzExpectations.expected(e, EnumSet.of(KeygenException.Kind.INVALID_KEY));
            }
            try (MetadataCipher legacy = MetadataCipher.fromUnauthenticatedLegacyFile(FILE, kek, w -> { })) {
                legacy.encrypt("x");
            } catch (Throwable t) {
                FuzzExpectations.expected(t);
            }
        }
    }

    private static void requireKey(byte[] key) {
        if (key.length != 32) {
            throw new AssertionError("a legacy layout opened to a " + key.length + "-byte key");
        }
    }
}
