package io.evkeygen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.params.EvalMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payload is streamed, never held: the CLI in a child JVM with a 24 MB heap and 24 MB of direct
 * memory (Netty's buffers) registers a FLAT [256] EvalKey of about 34 MB, more than either, and the
 * fake server receives every byte with the right hash. (The live heap while uploading is about
 * 10 MB: classes' data, one 1 MiB frame buffer, a frame or two in flight.)
 */
class LowMemoryRegisterTest {
    @TempDir
    Path keys;

    @Test
    void aPayloadLargerThanTheHeapRegistersInAChildJvmWith24Megabytes() throws Exception {
        Path dir = KeyGenerator.builder().keyPath(keys).keyId("flat").dims(256).evalMode(EvalMode.FLAT)
                .metadataEncryption(false).build().generateKeys();
        KeySet.EvalKeyDigest d = EvalKeyPayload.fromDirectory(dir).describe();
        assertTrue(d.length() > 32L << 20, "the payload must be larger than the child's heap: " + d.length());
        try (FakeEnvectorServer s = FakeEnvectorServer.plaintext()) {
            Path log = keys.resolve("child.log");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx24m", "-XX:MaxDirectMemorySize=24m", "-cp", System.getProperty("java.class.path"), "io.evkeygen.cli.Main",
                    "server", "register", "--address", s.address(), "--insecure",
                    "--key_path", keys.toString(), "--key_id", "flat")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM did not finish");
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.startsWith("Registered flat (IP0, FLAT, " + d.length() + " bytes"), out);
            FakeEnvectorServer.Stored k = s.keys.get("flat");
            assertEquals(d.length(), k.size());
            assertEquals(d.sha256Hex(), k.sha256sum());
            assertEquals(List.of(), s.violations);
            assertEquals((d.length() + (1 << 20) - 1) >> 20, k.frames());
        }
    }
}
