package io.evkeygen.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeySet;
import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.keydir.ResealSteps;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.testutil.SealTestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 item 9: a real crash at every step of a reseal. A child JVM ({@link ResealCrashChild})
 * reseals a sealed set from KEK OLD to KEK NEW and halts (status 137, as kill -9) at one step
 * ({@link ResealSteps}). Then the set must load with exactly one of the two KEKs (OLD before
 * the commit rename, NEW from it on), hold the same secrets, EncKey and EvalKey as before, and,
 * after that load, nothing but the complete set may remain in the directory.
 */
class ResealCrashTest {
    static final byte[] OLD = SealTestKeys.kek(10);
    static final byte[] NEW = SealTestKeys.kek(50);
    private static final Set<String> SET = Set.of("SecKey.json", "EncKey.json", "EvalKey.json", "MetadataKey.json");
    /** Issue 11 class 4: no lock file outlives the process either (the reseal locks EncKey.json). */
    private static final boolean STRICT_LEFTOVERS = true;

    @TempDir
    static Path tmp;
    static Path template;
    static byte[][] originalSecrets;

    @BeforeAll
    static void generate() throws IOException {
        try (KekProvider p = KekProvider.aes(OLD)) {
            template = SealTestKeys.generate(tmp, "template", p);
        }
        originalSecrets = secrets(template, OLD);
    }

    @ParameterizedTest
    @ValueSource(strings = {ResealSteps.BEFORE_JOURNAL, ResealSteps.JOURNAL_TMP_WRITTEN,
            ResealSteps.JOURNAL_RENAMED, "renamed-SecKey.json", "renamed-MetadataKey.json",
            ResealSteps.COMMIT_RENAMED, ResealSteps.DONE_DELETED})
    void crashAtStep(String step) throws Exception {
        Path dir = copyOfTemplate(step);
        assertEquals(137, runChild(dir, step), "the child did not die at step " + step);
        boolean committed = step.equals(ResealSteps.COMMIT_RENAMED) || step.equals(ResealSteps.DONE_DELETED);
        checkOneKekOpens(dir, committed ? NEW : OLD, committed ? OLD : NEW, step);
    }

    /** Control: without a crash the child finishes and the set is under the new KEK. */
    @Test
    void noCrash() throws Exception {
        Path dir = copyOfTemplate("none");
        assertEquals(0, runChild(dir, "none"));
        checkOneKekOpens(dir, NEW, OLD, "none");
    }

    private static void checkOneKekOpens(Path dir, byte[] good, byte[] bad, String step) throws IOException {
        // loading with the valid KEK rolls an interrupted reseal forward or back
        byte[][] now = secrets(dir, good);
        assertArrayEquals(originalSecrets[0], now[0], step + ": SecKey changed");
        assertArrayEquals(originalSecrets[1], now[1], step + ": MetadataKey changed");
        try (KekProvider p = KekProvider.aes(bad)) {
            KeySet keys = KeySet.load(dir, p);
            KeygenException e = assertThrows(KeygenException.class, keys::secretKey, step + ": opened with both KEKs");
            assertEquals(KeygenException.Kind.UNSEAL, e.kind());
        } catch (KeygenException e) {
            assertEquals(KeygenException.Kind.UNSEAL, e.kind(), step + ": " + e.getMessage());
        }
        for (String f : new String[] {"EncKey.json", "EvalKey.json"}) {
            assertArrayEquals(Files.readAllBytes(template.resolve(f)), Files.readAllBytes(dir.resolve(f)),
                    step + ": " + f + " changed");
        }
        Set<String> left = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).forEach(left::add);
        }
        if (!STRICT_LEFTOVERS) {
            left.remove(".reseal.lock");
        }
        assertEquals(new TreeSet<>(SET), left, step + ": leftovers after the load");
    }

    private static byte[][] secrets(Path dir, byte[] kek) throws IOException {
        try (KekProvider p = KekProvider.aes(kek)) {
            KeySet keys = KeySet.load(dir, p);
            try (SecretBytes sk = keys.secretKey(); SecretBytes mk = keys.metadataKey().orElseThrow()) {
                return new byte[][] {sk.reveal().clone(), mk.reveal().clone()};
            }
        }
    }

    private static Path copyOfTemplate(String step) throws IOException {
        Path dir = tmp.resolve("crash-" + step).resolve("template");
        Files.createDirectories(dir);
        for (KeyFileKind kind : KeyFileKind.values()) {
            Files.copy(template.resolve(kind.fileName()), dir.resolve(kind.fileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
        return dir;
    }

    private static int runChild(Path dir, String step) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolveSibling("child-" + step + ".log");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ResealCrashChild.class.getName(), dir.toString(), step)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child reseal did not finish in 120 s");
        }
        int code = p.exitValue();
        if (code != 137 && code != 0) {
            throw new AssertionError("child exited " + code + ": " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return code;
    }

}
