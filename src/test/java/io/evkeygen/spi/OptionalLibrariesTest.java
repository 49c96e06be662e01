package io.evkeygen.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Native;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A project that depends on io.evkeygen:evkeygen alone (our classes, Jackson, JNA) and calls an
 * integration gets one KeygenException naming the Maven coordinates to add, never a
 * NoClassDefFoundError: checked in a child JVM with exactly that class path.
 */
class OptionalLibrariesTest {

    /** entry point (MissingLibrariesChild) -> the optional libraries it needs. */
    private static final Map<String, OptionalLibraries> ENTRIES = new LinkedHashMap<>();

    static {
        ENTRIES.put("aws-store", OptionalLibraries.AWS_STORE);
        ENTRIES.put("aws-kms", OptionalLibraries.AWS_KMS);
        ENTRIES.put("gcp-store", OptionalLibraries.GCP_STORE);
        ENTRIES.put("server-client", OptionalLibraries.GRPC);
        ENTRIES.put("kms-client", OptionalLibraries.GRPC);
        ENTRIES.put("kms-server", OptionalLibraries.GRPC);
    }

    @Test
    void eachEntryPointNamesTheCoordinatesToAddWithOnlyTheBaseArtifact() throws Exception {
        Map<String, String> outcomes = runChild(baseClassPath(), ENTRIES.keySet());
        for (Map.Entry<String, OptionalLibraries> e : ENTRIES.entrySet()) {
            String outcome = outcomes.get(e.getKey());
            assertTrue(outcome != null && outcome.startsWith("KeygenException USAGE "), e.getKey() + ": " + outcome);
            for (String coordinates : e.getValue().coordinates()) {
                assertTrue(outcome.contains(coordinates), e.getKey() + " does not name " + coordinates + ": " + outcome);
            }
        }
    }

    @Test
    void nothingIsMissingWhereTheLibrariesAreOnTheClassPath() {
        for (OptionalLibraries l : OptionalLibraries.values()) {
            assertEquals(List.of(), l.missing(), l.name());
            l.require("test");
        }
    }

    @Test
    void coordinatesAreGroupAndArtifact() {
        for (OptionalLibraries l : OptionalLibraries.values()) {
            for (String c : l.coordinates()) {
                assertTrue(c.matches("[a-z.]+:[a-z0-9-]+"), c);
            }
        }
        assertEquals(List.of("software.amazon.awssdk:s3", "software.amazon.awssdk:secretsmanager",
                "software.amazon.awssdk:url-connection-client"), OptionalLibraries.AWS_STORE.coordinates());
    }

    /** Our classes (main and this test's), Jackson and JNA: a consumer's runtime class path. */
    private static String baseClassPath() throws URISyntaxException {
        List<String> cp = new ArrayList<>();
        for (Class<?> c : List.of(OptionalLibraries.class, MissingLibrariesChild.class, JsonFactory.class,
                ObjectMapper.class, JsonProperty.class, Native.class)) {
            cp.add(location(c));
        }
        return String.join(File.pathSeparator, cp);
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static Map<String, String> runChild(String classPath, Iterable<String> entries) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, MissingLibrariesChild.class.getName()));
        entries.forEach(command::add);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not exit");
        assertEquals(0, p.exitValue(), out);
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] parts = line.split(" ", 2);
            if (parts.length == 2 && ENTRIES.containsKey(parts[0])) {
                outcomes.put(parts[0], parts[1]);
            }
        }
        assertEquals(Arrays.asList(ENTRIES.keySet().toArray()), new ArrayList<>(outcomes.keySet()), out);
        return outcomes;
    }
}
