package io.evkeygen.fuzz;

import io.evkeygen.KeyGenerator;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.layout.EvalKeyContainer;
import io.evkeygen.internal.layout.EvalKeyLayout;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Presets;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.AesKekProvider;
import io.evkeygen.testutil.SealTestKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Writes the fuzz targets' seed corpus (docs/FUZZING.md) into src/test/resources/io/evkeygen/fuzz/:
 * a small MM dim-32 key set's files (unsealed and sealed with {@link SealTestKeys#kek}(1)), their
 * sealed blobs, hand-made EvalKey containers, metadata values and older MetadataKey layouts
 * ({@link MetadataSeeds}) and a few mutations of each. Run from the checkout:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.evkeygen.fuzz.SeedCorpus}.
 */
public final class SeedCorpus {
    private SeedCorpus() {}

    public static void main(String[] a) throws Exception {
        Path root = Path.of(a.length > 0 ? a[0] : "src/test/resources/io/evkeygen/fuzz");
        Path tmp = Files.createTempDirectory("evk-seeds");
        Path plain = KeyGenerator.builder().keyPath(tmp).keyId("seed").dims(32).evalMode("mm").threads(2)
                .build().generateKeys();
        Path sealed = SealTestKeys.generate(tmp, "sealed", new AesKekProvider(
                Kek.of(SealTestKeys.kek(1))));

        Path env = root.resolve("EnvelopeReaderFuzzTestInputs/envelope");
        Files.createDirectories(env);
        for (KeyFileKind kind : KeyFileKind.values()) {
            byte[] f = Files.readAllBytes(plain.resolve(kind.fileName()));
            if (kind != KeyFileKind.ENCKEY) { // EncKey is 175 KB: one copy, below
                write(env, kind.format(), kind.ordinal(), f);
                write(env, kind.format() + "-any", KeyFileKind.values().length, f);
                write(env, kind.format() + "-truncated", kind.ordinal(), Arrays.copyOf(f, f.length / 2));
            }
        }
        write(env, "enckey", KeyFileKind.ENCKEY.ordinal(), Files.readAllBytes(plain.resolve("EncKey.json")));
        byte[] sec = Files.readAllBytes(sealed.resolve("SecKey.json"));
        write(env, "seckey-sealed", KeyFileKind.SECKEY.ordinal(), sec);
        write(env, "metadatakey-sealed", KeyFileKind.METADATAKEY.ordinal(),
                Files.readAllBytes(sealed.resolve("MetadataKey.json")));
        String s = new String(sec, StandardCharsets.UTF_8);
        write(env, "seckey-sealed-wrongkind", KeyFileKind.ENCKEY.ordinal(), sec);
        write(env, "seckey-sealed-exponent", KeyFileKind.SECKEY.ordinal(),
                s.replaceFirst("\"format_version\":1", "\"format_version\":1e0").getBytes(StandardCharsets.UTF_8));
        write(env, "seckey-sealed-nested", KeyFileKind.SECKEY.ordinal(),
                s.replaceFirst("\\{", "{\"x\":" + "[".repeat(40) + "]".repeat(40) + ",").getBytes(StandardCharsets.UTF_8));

        Path blobs = root.resolve("SealedBlobFuzzTestInputs/blob");
        Files.createDirectories(blobs);
        for (KeyFileKind kind : List.of(KeyFileKind.SECKEY, KeyFileKind.METADATAKEY)) {
            byte[] blob = keyData(sealed.resolve(kind.fileName()), kind);
            raw(blobs, kind.format(), blob);
            raw(blobs, kind.format() + "-truncated", Arrays.copyOf(blob, blob.length - 20));
            byte[] lying = blob.clone();
            int lenAt = 59 + 4 + 12 + 16;
            ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putInt(lenAt, Integer.MAX_VALUE);
            raw(blobs, kind.format() + "-lying-length", lying);
            byte[] flipped = blob.clone();
            flipped[flipped.length - 1] ^= 1;
            raw(blobs, kind.format() + "-flipped", flipped);
        }

        Path cont = root.resolve("EvalKeyContainerFuzzTestInputs/container");
        Files.createDirectories(cont);
        raw(cont, "mm-placeholder", new byte[] {0, 0});
        byte[] meta = EvalKeyLayout.of(Presets.byName("IP0"), EvalMode.RMP, List.of(32, 128)).metadataEval();
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        c.write(3); // chunk size 22
        c.write(EvalKeyContainer.recordHeader(EvalKeyContainer.eviKeysName(5), 24));
        c.write(new byte[24]);
        c.write(EvalKeyContainer.recordHeader(EvalKeyContainer.eviKeysName(7), 8));
        c.write(new byte[8]);
        c.write(EvalKeyContainer.recordHeader(EvalKeyContainer.METADATA_EVAL_NAME, meta.length));
        c.write(meta);
        byte[] good = c.toByteArray();
        raw(cont, "rmp-two-ranks", good);
        byte[] lying = good.clone();
        ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putLong(1 + 9 + 12, 1L << 41);
        raw(cont, "lying-data-length", lying);
        byte[] longName = good.clone();
        ByteBuffer.wrap(longName).order(ByteOrder.LITTLE_ENDIAN).putLong(1 + 1, 0xffffL);
        raw(cont, "lying-name-length", longName);
        raw(cont, "trailing-byte", Arrays.copyOf(good, good.length + 1));
        raw(cont, "truncated", Arrays.copyOf(good, good.length - 5));
        MetadataSeeds.write(root, Files.readAllBytes(plain.resolve(KeyFileKind.METADATAKEY.fileName())));
        FileTreesForSeeds.delete(tmp);
    }

    private static byte[] keyData(Path file, KeyFileKind kind) throws IOException {
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(file)) {
            EnvelopeReader.read(in, kind, bin);
        }
        return bin.toByteArray();
    }

    private static void write(Path dir, String name, int kindByte, byte[] file) throws IOException {
        byte[] b = new byte[file.length + 1];
        b[0] = (byte) kindByte;
        System.arraycopy(file, 0, b, 1, file.length);
        raw(dir, name, b);
    }

    private static void raw(Path dir, String name, byte[] b) throws IOException {
        Files.write(dir.resolve(name), b);
    }

    private static final class FileTreesForSeeds {
        static void delete(Path dir) throws IOException {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
