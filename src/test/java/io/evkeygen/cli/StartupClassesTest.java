package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, start-up: a plain generation keeps Jackson's databind (hundreds of classes) and picocli
 * (its model is built by reflection, and the class-data archive cannot hold its classes) unloaded;
 * and (docs/ARCHITECTURE.md, "The start-up path") it links no integration library: no AWS, Google
 * or gRPC class, which evkeygen-generate.jar does not carry.
 */
class StartupClassesTest {
    @TempDir
    Path tmp;

    @Test
    void aPlainGenerationLoadsNeitherJacksonDatabindNorPicocli() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xlog:class+load=info:stdout", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--key_path", tmp.toString(), "--key_id", "s", "--dim", "32", "--eval_mode", "mm")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor(), String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        assertTrue(lines.stream().anyMatch(l -> l.contains(" io.evkeygen.params.Presets ")), "the log lists classes");
        List<String> databind = lines.stream().filter(l -> l.contains("com.fasterxml.jackson.databind.")).toList();
        assertEquals(List.of(), databind);
        List<String> picocli = lines.stream().filter(l -> l.contains(" picocli.")).toList();
        assertEquals(List.of(), picocli);
        List<String> integrations = lines.stream().filter(l -> l.contains(" software.amazon.")
                || l.contains(" com.google.") || l.contains(" io.grpc.") || l.contains(" io.netty.")
                || l.contains(" io.evkeygen.aws.") || l.contains(" io.evkeygen.gcp.") || l.contains(" io.evkeygen.vault.")
                || l.contains(" io.evkeygen.server.") || l.contains(" io.evkeygen.kms.")).toList();
        assertEquals(List.of(), integrations);
    }
}
