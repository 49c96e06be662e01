package io.evkeygen.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.cli.Main;
import io.evkeygen.kms.server.KmsProcesses;
import io.evkeygen.testutil.SealTestKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI end to end: {@code evkeygen kms serve} as a child process, and the {@code evkeygen kms}
 * client commands run in process through {@link Main} against it with a token from
 * {@code kms add-token}: generate, status and details as JSON, download, a metadata round trip,
 * suspend (download then exits 7 with one line naming DownloadKey and Fail), delete, and SIGTERM.
 */
class KmsCliEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    private static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code kms <command> <args> --kms_address ... --insecure --token_file ...}. */
    private static Run kms(String address, Path token, String command, String... args) {
        List<String> all = new ArrayList<>(List.of("kms", command));
        all.addAll(List.of(args));
        all.addAll(List.of("--kms_address", address, "--insecure", "--token_file", token.toString()));
        return main(all.toArray(String[]::new));
    }

    @Test
    void theClientCommandsAgainstAServeProcess() throws Exception {
        Path tokens = tmp.resolve("tokens");
        Run added = main("kms", "add-token", "ops", "*", "--tokens", tokens.toString());
        assertEquals(0, added.code(), added.err());
        Path token = tmp.resolve("token");
        Files.writeString(token, added.out().strip() + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Path master = tmp.resolve("master.key");
        Files.write(master, SealTestKeys.kek(41));
        Path keys = tmp.resolve("keys");
        Path portFile = tmp.resolve("serve.port");
        List<String> serve = List.of(KmsProcesses.java(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "kms", "serve", "--listen", "127.0.0.1:0", "--port_file", portFile.toString(),
                "--plaintext", "--key_path", keys.toString(), "--seal_key_path", master.toString(),
                "--tokens", tokens.toString(), "--dim", "32", "--drain_seconds", "5");
        try (KmsProcesses.Child child = KmsProcesses.start(serve, portFile, tmp.resolve("serve.log"))) {
            String at = "127.0.0.1:" + child.port();
            Path set = keys.resolve("cli");

            assertEquals(new Run(0, "cli: READY\n", ""), kms(at, token, "generate", "--key_id", "cli", "--wait"));
            assertEquals("{\"key_id\":\"cli\",\"status\":\"READY\"}",
                    JSON.readTree(kms(at, token, "status", "--key_id", "cli", "--json").out()).toString());
            Run details = kms(at, token, "details", "--key_id", "cli", "--json");
            assertEquals(0, details.code(), details.err());
            JsonNode versions = JSON.readTree(details.out()).get("versions");
            assertEquals(4, versions.size(), details.out());
            for (JsonNode v : versions) {
                assertEquals("ops", v.get("actor").asText(), "the principal add-token named");
                assertEquals("ACTIVE", v.get("state").asText());
            }

            Path enc = tmp.resolve("EncKey.json");
            assertEquals(0, kms(at, token, "download", "--key_id", "cli", "--file", "enc", "--out", enc.toString()).code());
            assertArrayEquals(Files.readAllBytes(set.resolve("EncKey.json")), Files.readAllBytes(enc));

            Run sealed = kms(at, token, "encrypt-metadata", "--key_id", "cli", "one", "{\"two\":2}");
            assertEquals(0, sealed.code(), sealed.err());
            List<String> args = new ArrayList<>(List.of("--key_id", "cli", "--json"));
            args.addAll(sealed.out().lines().toList());
            Run opened = kms(at, token, "decrypt-metadata", args.toArray(String[]::new));
            assertEquals("[\"one\",\"{\\\"two\\\":2}\"]", JSON.readTree(opened.out()).toString());

            assertEquals(0, kms(at, token, "suspend", "--key_id", "cli", "--reason", "audit").code());
            Path eval = tmp.resolve("EvalKey.json");
            Run refused = kms(at, token, "download", "--key_id", "cli", "--file", "eval", "--out", eval.toString());
            assertEquals(7, refused.code());
            assertEquals("", refused.out());
            assertEquals("evkeygen: KMS DownloadKey failed (return_code=2 Fail): key cli is suspended", refused.err().strip());
            assertEquals(1, refused.err().lines().count());
            assertFalse(Files.exists(eval), "a refused download leaves no file");

            // a token added while the server runs works at once, within its prefix only
            Run teamToken = main("kms", "add-token", "team", "team-", "--tokens", tokens.toString());
            Path team = tmp.resolve("team-token");
            Files.writeString(team, teamToken.out().strip() + "\n");
            Files.setPosixFilePermissions(team, PosixFilePermissions.fromString("rw-------"));
            Run outside = kms(at, team, "status", "--key_id", "cli");
            assertEquals(7, outside.code());
            assertTrue(outside.err().contains("PERMISSION_DENIED"), outside.err());
            assertEquals(new Run(0, "team-1: READY\n", ""), kms(at, team, "generate", "--key_id", "team-1", "--wait"));

            assertEquals(0, kms(at, token, "delete", "--key_id", "cli", "--reason", "done").code());
            Run gone = kms(at, token, "details", "--key_id", "cli");
            assertEquals(7, gone.code());
            assertTrue(gone.err().startsWith("evkeygen: KMS GetKeyDetails failed (return_code=5 NotFoundError): "),
                    gone.err());
            assertFalse(Files.exists(set));

            child.process().destroy(); // SIGTERM
            assertEquals(0, child.awaitExit());
            String log = Files.readString(child.log());
            assertTrue(log.contains(" principal=ops rpc=Delete key_id=cli result=Success"), log);
            assertFalse(log.contains(added.out().strip()), "the token is never logged");
        }
    }
}
