package io.evkeygen.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google Cloud credentials that cannot be loaded are a remote-store failure (exit 7) in one line, as
 * AWS's are, not an i/o error (exit 5). The CLI runs in a child JVM whose GOOGLE_APPLICATION_CREDENTIALS
 * names an absent or a broken file: the client library then reads only that file, nothing leaves the machine.
 */
class GcpCredentialsTest {
    @TempDir
    Path tmp;

    @Test
    void anAbsentCredentialsFileIsAStoreError() throws Exception {
        String out = storeList(tmp.resolve("absent.json"), 7);
        assertTrue(out.contains("absent.json") && out.contains("does not exist"), out);
    }

    @Test
    void aBrokenCredentialsFileIsAStoreErrorThatDoesNotEchoItsContent() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.json"),
                "{\"type\": \"service_account\", \"private_key\": \"PRIVATE-KEY-MATERIAL\"");
        String out = storeList(broken, 7);
        assertFalse(out.contains("PRIVATE-KEY-MATERIAL"), out);
    }

    /** {@code evkeygen store list --key_store gcp} with these credentials: its one line of output. */
    private String storeList(Path credentials, int expectedExit) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.evkeygen.cli.Main",
                "store", "list", "--key_store", "gcp", "--gcp_project", "p", "--bucket_name", "b");
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GOOGLE_") || k.startsWith("GCLOUD_") || k.endsWith("_EMULATOR_HOST"));
        env.put("GOOGLE_APPLICATION_CREDENTIALS", credentials.toString());
        env.put("CLOUDSDK_CONFIG", tmp.resolve("no-gcloud").toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(expectedExit, p.exitValue(), out);
        assertFalse(out.contains("\n"), "one line: " + out);
        assertTrue(out.startsWith("evkeygen: ") && out.contains("cannot load the Google Cloud credentials")
                && out.contains("GOOGLE_APPLICATION_CREDENTIALS"), out);
        return out;
    }
}
