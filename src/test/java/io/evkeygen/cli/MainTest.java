package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.TestSupport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI in-process, with a fake engine: argument handling, error lines and exit codes. */
class MainTest {
    private static final String SEED = "00".repeat(64);
    private static final String SEED_HEX = "0123456789abcdef".repeat(8);

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new java.io.ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** One line, our prefix, no stack trace. */
    private static void assertOneLineError(Result r, int code, String contains) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().startsWith("evkeygen: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(contains), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    private String keyPath() {
        return tmp.resolve("keys").toString();
    }

    @Test
    void controlCharactersAnErrorEchoesAreShownEscaped() {
        // a tab and a terminal escape sequence inside an unknown option's name
        Result r = run("--key_path", keyPath(), "--dimack\tat x\u001b[2J");
        assertOneLineError(r, 2, "--dimack\\tat x\\u001b[2J");
        assertFalse(r.err().contains("\t") || r.err().contains("\u001b"), r.err());
        // redaction sees the raw value first: a long value with a tab is still hidden
        String secret = "0123456789abcdef\tghij";
        Result hidden = run("--key_path", keyPath(), "--dim", "32", secret);
        assertEquals(2, hidden.code(), hidden.err());
        assertFalse(hidden.err().contains("0123456789abcdef"), hidden.err());
    }

    @Test
    void malformedHexSeed() {
        String bad = "zz" + "00".repeat(63);
        Result r = run("--key_path", keyPath(), "--seed", bad);
        assertOneLineError(r, 2, "not valid hex");
        assertFalse(r.err().contains(bad), "the seed is never echoed");
    }

    @Test
    void shortSeed() {
        assertOneLineError(run("--key_path", keyPath(), "--seed", "abcd"), 2, "128 hex characters");
    }

    @Test
    void seedFileTooShort() throws Exception {
        Path f = Files.write(tmp.resolve("seed.bin"), new byte[63]);
        assertOneLineError(run("--key_path", keyPath(), "--seed-file", f.toString()), 2, "at least 64 bytes");
    }

    @Test
    void bothSeedSources() throws Exception {
        Path f = Files.write(tmp.resolve("seed.bin"), new byte[64]);
        assertOneLineError(run("--key_path", keyPath(), "--seed", SEED, "--seed-file", f.toString()), 2, "not both");
    }

    @Test
    void unknownPreset() {
        assertOneLineError(run("--key_path", keyPath(), "--preset", "ip9"), 2, "unknown preset");
    }

    @Test
    void customParametersAreValidatedBeforeGeneration() throws Exception {
        assertOneLineError(run("--key_path", keyPath(), "--q", "2251799813554177"), 2, "need --preset custom");
        assertOneLineError(run("--key_path", keyPath(), "--preset", "custom", "--q", "2251799813554177"), 2,
                "needs --q and --p");
        assertOneLineError(run("--key_path", keyPath(), "--preset", "custom", "--q", "1152921504606830593",
                "--p", "36028797014376449"), 2, "exceeds 109");
        assertOneLineError(run("--key_path", keyPath(), "--preset", "custom", "--q", "67125249",
                "--p", "36028797014376449"), 2, "Q = 67125249 is not prime");
        assertFalse(java.nio.file.Files.exists(tmp.resolve("keys")), "nothing written for refused parameters");
        Path file = java.nio.file.Files.writeString(tmp.resolve("params.json"),
                "{\"q\": 36028797014376449, \"p\": 2251799813554177, \"db_scale\": 26.0}");
        Result ok = run("--key_path", keyPath(), "--key_id", "c", "--preset", "custom", "--params_file", file.toString(),
                "--dim", "32", "--seed", SEED);
        assertEquals(0, ok.code(), ok.err());
        Result bad = run("--key_path", keyPath(), "--key_id", "d", "--preset", "custom", "--params_file",
                tmp.resolve("missing.json").toString());
        assertOneLineError(bad, 5, "does not exist"); // a missing file is an i/o error, as the README's table says
    }

    @Test
    void unknownEvalMode() {
        assertOneLineError(run("--key_path", keyPath(), "--eval_mode", "fast"), 2, "unknown eval mode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"33", "16", "8192", "0", "-32"})
    void badDimensions(String dim) {
        assertOneLineError(run("--key_path", keyPath(), "--dim", "32", dim), 2, "dimension");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "..", "a\\b", ""})
    void unsafeKeyIds(String id) {
        assertOneLineError(run("--key_path", keyPath(), "--key_id", id), 2, "key id");
        assertFalse(Files.exists(tmp.resolve("keys")), "nothing created");
    }

    @Test
    void picocliParseErrorsAreOneLineUsageErrors() {
        assertOneLineError(run("--no-such-flag"), 2, "Unknown option");
        assertOneLineError(run("--dim", "abc"), 2, "'abc' is not an int");
        assertOneLineError(run("--metadata_encryption", "maybe"), 2, "not a boolean");
        assertOneLineError(run("verify"), 2, "DIR");
    }

    @Test
    void backendChoice() {
        assertOneLineError(run("bench", "--backend", "cuda"), 2, "unknown backend");
        Result r = run("--key_path", keyPath(), "--key_id", "n", "--backend", "native", "--dim", "32", "--seed", SEED);
        if (io.evkeygen.Backends.nativeStatus().available()) {
            assertEquals(0, r.code(), r.err());
        } else {   // explicit native without its library: one line saying why, never a silent fallback
            assertOneLineError(r, 1, "native backend unavailable");
        }
    }

    @Test
    void nonEmptyTargetIsRefusedAndUntouched() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("keys/demo"));
        Files.writeString(dir.resolve("SecKey.json"), "precious");
        long mtime = Files.getLastModifiedTime(dir.resolve("SecKey.json")).toMillis();
        Result r = run("--key_path", keyPath(), "--key_id", "demo", "--dim", "32");
        assertOneLineError(r, 3, "not empty");
        assertEquals("precious", Files.readString(dir.resolve("SecKey.json")));
        assertEquals(mtime, Files.getLastModifiedTime(dir.resolve("SecKey.json")).toMillis());
        assertEquals(List.of("SecKey.json"), TestSupport.list(dir));
        assertEquals(List.of("demo"), TestSupport.list(tmp.resolve("keys")));
    }

    @Test
    void helpAndVersionExitZero() {
        Result help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--key_path") && help.out().contains("Exit codes"), help.out());
        Result version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("evkeygen "));
    }

    @Test
    void infoJson() throws Exception {
        Result r = run("info", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("dev", json.get("version").asText());
        boolean nativeLoads = io.evkeygen.Backends.nativeStatus().available();
        assertEquals(nativeLoads ? "native" : "java", json.get("backend").asText());
        for (String field : new String[] {"library", "simd"}) {
            assertTrue(json.has(field), field);
            assertEquals(nativeLoads, !json.get(field).isNull(), field);
        }
    }

    @Test
    void debugShowsTheStackTrace() {
        Result r = run("--debug", "--key_path", keyPath(), "--preset", "ip9");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void missingDirectoryForInspectIsAnIoError() {
        assertOneLineError(run("inspect", tmp.resolve("nope").toString()), 5, "does not exist");
    }

    @Test
    void generatesOwnerOnlySecretsAtomicallyThenInspects() throws Exception {
        Result r = run("--key_path", keyPath(), "--key_id", "demo", "--dim", "32", "--dim", "1024", "--seed", SEED);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "no progress line when stderr is not a terminal");
        Path dir = tmp.resolve("keys/demo");
        assertEquals(List.of("EncKey.json", "EvalKey.json", "MetadataKey.json", "SecKey.json"), TestSupport.list(dir));
        assertEquals(List.of("demo"), TestSupport.list(tmp.resolve("keys")), "no staging leftovers");
        for (String secret : List.of("SecKey.json", "MetadataKey.json")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(secret))));
        }

        Result inspect = run("inspect", "--json", dir.toString());
        assertEquals(0, inspect.code(), inspect.err());
        JsonNode json = new ObjectMapper().readTree(inspect.out());
        assertEquals("RMP", json.get("eval_mode").asText());
        assertEquals("[32,1024]", json.get("dims").toString());
        assertEquals("[32]", json.get("ranks").toString());
        assertEquals("IP0", json.at("/parameters/preset").asText());
        assertEquals(4, json.get("files").size());
        String secKeyJson = Files.readString(dir.resolve("SecKey.json"));
        String secretB64 = new ObjectMapper().readTree(secKeyJson).at("/entries/0/key_data").asText();
        assertFalse(inspect.out().contains(secretB64.substring(10, 40)), "no secret material in inspect");

        Result again = run("--key_path", keyPath(), "--key_id", "demo", "--dim", "32");
        assertEquals(3, again.code());
    }

    @Test
    void sameSeedGivesTheSameMetadataKeyAndNoKeyIdWritesIntoKeyPath() throws Exception {
        Path seedFile = Files.write(tmp.resolve("seed"), new byte[100]);
        assertEquals(0, run("--key-path", tmp.resolve("a").toString(), "--dim", "32", "--eval-mode", "mm",
                "--seed-file", seedFile.toString()).code());
        assertEquals(0, run("--key-path", tmp.resolve("b").toString(), "--dim", "32", "--eval-mode", "mm",
                "--seed", SEED, "--metadata-encryption", "false").code());
        assertTrue(Files.exists(tmp.resolve("a/MetadataKey.json")));
        assertFalse(Files.exists(tmp.resolve("b/MetadataKey.json")));
        assertEquals(List.of("EncKey.json", "EvalKey.json", "SecKey.json"), TestSupport.list(tmp.resolve("b")));
    }

    @Test
    void benchPrintsOneJsonObject() throws Exception {
        Result r = run("bench", "--dim", "32", "--iterations", "2", "--warmup", "1", "--threads", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        for (String field : List.of("median_ms", "min_ms", "max_ms", "backend", "threads", "iterations", "dims",
                "eval_mode", "preset", "metadata_encryption")) {
            assertTrue(json.has(field), field + " in " + r.out());
        }
        assertEquals(2, json.get("iterations").asInt());
        // the process's CPU while a set is made: positive, and not more than all cores for the whole time
        double cpu = json.get("cpu_ms").asDouble();
        assertTrue(cpu > 0 && cpu <= json.get("max_ms").asDouble() * Runtime.getRuntime().availableProcessors() + 5,
                r.out());
        assertTrue(List.of("java", "native").contains(json.get("backend").asText()), r.out());
        assertEquals("[32]", json.get("dims").toString());
        Result human = run("bench", "--dim", "32", "--iterations", "1", "--warmup", "0");
        assertEquals(0, human.code(), human.err());
        assertTrue(human.out().contains("median"), human.out());
    }

    /** Issue 11, class 2: a mistyped option or a stray argument never brings a secret onto stderr. */
    @Test
    void usageErrorsNeverEchoSecretLookingValues() {
        String kekHex = "ab".repeat(32);
        for (String[] args : new String[][] {
            {"--sed", SEED_HEX},
            {"--key_path", keyPath(), SEED_HEX},
            {"--dim", SEED_HEX},
            {"--seed=" + SEED_HEX + "00"},
            {"--eval_mode", kekHex},
            {"verify", "--seal_key_path", tmp.resolve("k").toString(), "--sealkey", kekHex},
        }) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertFalse(r.err().contains(SEED_HEX) || r.err().contains(kekHex)
                    || r.err().contains(SEED_HEX.substring(0, 32)), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertTrue(run("--sed", SEED_HEX).err().contains("not shown"), "the value is named as hidden");
        assertTrue(run("--dim", SEED_HEX).err().contains("'--dim"), "flag names stay");
        // a value that repeats the start of the error line is hidden in the message, never in the prefix
        Result echo = run("--kj", "evkeygen: Unknown o");
        assertEquals(2, echo.code(), echo.err());
        assertTrue(echo.err().startsWith("evkeygen: Unknown option"), echo.err());
        assertEquals(1, echo.err().strip().lines().count(), echo.err());
    }

    /** Issue 20 item 11: a file the user names that is missing is an i/o error (5), as the README's table says. */
    @Test
    void missingNamedFilesAreIoErrors() {
        String missing = tmp.resolve("missing.bin").toString();
        assertOneLineError(run("--key_path", keyPath(), "--key_id", "s", "--dim", "32", "--seal_mode", "aes",
                "--seal_key_path", missing), 5, "key-encryption key file " + missing + " does not exist");
        assertOneLineError(run("--key_path", keyPath(), "--key_id", "s", "--dim", "32", "--seed-file", missing), 5,
                "--seed-file " + missing + " does not exist");
        assertOneLineError(run("verify", tmp.toString(), "--seal_key_path", missing), 5, "does not exist");
        assertFalse(Files.exists(tmp.resolve("keys").resolve("s")), "nothing written");
    }

    /** Issue 20 item 12: errors name the user's own key ids, paths and flags; only secrets are hidden. */
    @Test
    void errorsNameTheUsersOwnWords() throws Exception {
        String keyId = "customer-embeddings-v2";
        Path dir = tmp.resolve("a-long-directory-name").resolve(keyId);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "x");
        Result r = run("--key_path", dir.getParent().toString(), "--key_id", keyId, "--dim", "32");
        assertOneLineError(r, 3, dir.toString());
        assertFalse(r.err().contains("not shown"), r.err());
        // picocli names an option by its longest alias; the user is told the one they typed
        assertOneLineError(run("--key_path", keyPath(), "--dim", "abc"), 2, "'--dim'");
        assertOneLineError(run("--key_path", keyPath(), "--dim-list", "abc"), 2, "'--dim-list'");
        assertOneLineError(run("--key_path", keyPath(), "--dim=abc"), 2, "'--dim'");
        assertFalse(run("--key_path", keyPath(), "--dim", "abc").err().contains("--dim_list"));
    }

    /** Issue 11, class 3: numbers and names the library cannot meet are usage errors naming the flag. */
    @Test
    void limitsAreUsageErrorsNamingTheFlag() throws Exception {
        assertOneLineError(run("--key_path", keyPath(), "--key_id", "t", "--threads", "100000", "--dim", "32"), 2,
                "--threads");
        String longId = "k".repeat(226);
        assertOneLineError(run("--key_path", keyPath(), "--key_id", longId, "--dim", "32", "--eval_mode", "mm"), 2,
                "--key_id");
        String maxId = "k".repeat(225);
        Result ok = run("--key_path", keyPath(), "--key_id", maxId, "--dim", "32", "--eval_mode", "mm",
                "--backend", "java");
        assertEquals(0, ok.code(), ok.err());
        Path file = java.nio.file.Files.writeString(tmp.resolve("plain-file"), "x");
        assertOneLineError(run("verify", file.toString()), 5, "is not a directory");
    }

    /** Issue 12, part 3: concurrent generations in one JVM, with the one-at-a-time rate of the same run. */
    @Test
    void benchConcurrentReportsThroughputAndSpeedup() throws Exception {
        Result r = run("bench", "--dim", "32", "--eval_mode", "mm", "--iterations", "3", "--warmup", "1",
                "--threads", "1", "--concurrent", "2", "--json", "--backend", "java");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.get("concurrent").asInt());
        assertTrue(json.get("sets_per_s").asDouble() > 0 && json.get("sets_per_s_one_at_a_time").asDouble() > 0);
        assertTrue(json.get("speedup").asDouble() > 0, r.out());
        assertEquals(6, json.get("runs_ms").size(), "every timed set of both workers");
        assertOneLineError(run("bench", "--concurrent", "-1"), 2, "--concurrent");
    }

    /** Issue 12, part 2: whole-process runs of the CLI, timed from outside. */
    @Test
    void benchOneshotTimesWholeProcesses() throws Exception {
        Result r = run("bench", "--dim", "32", "--eval_mode", "mm", "--oneshot", "2", "--warmup", "0", "--json",
                "--backend", "java");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.get("runs_ms").size());
        assertTrue(json.get("command").asText().contains("io.evkeygen.cli.Main")
                || json.get("command").asText().contains("-jar"), r.out());
        assertTrue(json.get("median_ms").asDouble() > 0);
    }

    /** A cold CLI builds picocli's model only for the commands a run needs (issue 12, start-up). */
    @Test
    void onlyTheNeededSubcommandsAreBuilt() {
        List<String> all = List.of("verify", "inspect", "server", "store");
        assertEquals(List.of(), List.copyOf(Main.needed(new String[] {"--key_path", "k", "--dim", "32"}, all)));
        assertEquals(List.of("verify"), List.copyOf(Main.needed(new String[] {"verify", "--json", "d"}, all)));
        assertEquals(all, List.copyOf(Main.needed(new String[] {"--help"}, all)));
        assertEquals(all, List.copyOf(Main.needed(new String[] {"verfy", "d"}, all)), "a typo gets suggestions");
        Result typo = run("verfy", tmp.toString());
        assertEquals(2, typo.code());
        Result help = run("--help");
        assertTrue(help.out().contains("server") && help.out().contains("verify"), help.out());
    }
}
