package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.testutil.Envelopes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real CLI, engine, codec and verifier together: what a user runs. */
class CliEndToEndTest {
    private static final String SEED = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
            + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";

    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    private static String hash(Path dir, String file) throws Exception {
        JsonNode n = new ObjectMapper().readTree(dir.resolve(file).toFile());
        return n.get("entries").get(0).get("hash").asText();
    }

    @Test
    void seededCliRunsGiveTheSameKeyBytesAndVerify() throws Exception {
        String keys = tmp.resolve("keys").toString();
        for (String id : new String[] {"a", "b"}) {
            String[] r = run("--key_path", keys, "--key_id", id, "--dim", "32", "1024", "--seed", SEED,
                    "--threads", id.equals("a") ? "1" : "2");
            assertEquals("0", r[0], r[2]);
        }
        Path a = tmp.resolve("keys/a");
        Path b = tmp.resolve("keys/b");
        for (String f : new String[] {"SecKey.json", "EncKey.json", "EvalKey.json", "MetadataKey.json"}) {
            assertEquals(hash(a, f), hash(b, f), f + ": same seed, same key data");
        }
        String[] v = run("verify", a.toString());
        assertEquals("0", v[0], v[2]);
        assertTrue(v[1].contains("34 key equations") || v[1].contains("key equations"), v[1]);

        String[] other = run("--key_path", keys, "--key_id", "c", "--dim", "32");   // unseeded
        assertEquals("0", other[0], other[2]);
        assertNotEquals(hash(a, "SecKey.json"), hash(tmp.resolve("keys/c"), "SecKey.json"));

        String[] inspect = run("inspect", "--json", a.toString());
        assertEquals("0", inspect[0], inspect[2]);
        JsonNode info = new ObjectMapper().readTree(inspect[1]);
        assertEquals("RMP", info.get("eval_mode").asText());
        assertEquals("[32,1024]", info.get("dims").toString());
        assertTrue(info.get("security").asText().startsWith("at least 128-bit"));
    }

    @Test
    void verifyRefusesATamperedSetWithExitCode4() throws Exception {
        String keys = tmp.resolve("keys").toString();
        assertEquals("0", run("--key_path", keys, "--key_id", "t", "--dim", "32", "--eval_mode", "mm")[0]);
        Path enc = tmp.resolve("keys/t/EncKey.json");
        io.evkeygen.testutil.Tamper.flipKeyDataChar(enc, 0.5);
        String[] v = run("verify", tmp.resolve("keys/t").toString());
        assertEquals("4", v[0]);
        assertTrue(v[2].startsWith("evkeygen: EncKey.json"), v[2]);
        assertEquals(1, v[2].strip().lines().count(), v[2]);
    }

    /**
     * Issue 20, item 3: every file's expires_at counts. verify prints the earliest (text and --json), and
     * an EncKey.json that expired yesterday, with aad and hash recomputed, is exit 4 naming it.
     */
    @Test
    void verifyChecksEveryFilesExpiryAndPrintsTheEarliest() throws Exception {
        String keys = tmp.resolve("keys").toString();
        assertEquals("0", run("--key_path", keys, "--key_id", "x", "--dim", "32", "--eval_mode", "mm")[0]);
        Path dir = tmp.resolve("keys/x");
        Instant created = Envelopes.header(dir.resolve("SecKey.json"), KeyFileKind.SECKEY).createdAt();
        Instant metaCreated = created.minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        Envelopes.createdAt(dir.resolve("MetadataKey.json"), KeyFileKind.METADATAKEY, metaCreated);
        String earliest = metaCreated.plus(Duration.ofDays(1825)).toString();
        String[] text = run("verify", dir.toString());
        assertEquals("0", text[0], text[2]);
        assertTrue(text[1].strip().endsWith("; expires " + earliest), text[1]);
        String[] json = run("verify", "--json", dir.toString());
        assertEquals(earliest, new ObjectMapper().readTree(json[1]).get("expires_at").asText(), json[1]);

        Instant yesterday = Instant.now().minus(Duration.ofDays(1825 + 1));
        Envelopes.createdAt(dir.resolve("EncKey.json"), KeyFileKind.ENCKEY, yesterday);
        String[] v = run("verify", dir.toString());
        assertEquals("4", v[0], v[2]);
        assertTrue(v[2].startsWith("evkeygen: the key set in " + dir + " expired on ") && v[2].contains("EncKey.json"),
                v[2]);
        assertEquals(1, v[2].strip().lines().count(), v[2]);
    }
}
