package io.evkeygen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import io.evkeygen.kms.internal.proto.KmsV2;
import io.evkeygen.server.internal.proto.CommonV2;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The generated messages run on protobuf-java 3.25 as well as 4.x: protoc 4 writes code that calls
 * {@code com.google.protobuf.RuntimeVersion} (absent from 3.25) and refuses an older runtime, so no
 * generated class may name it. Under {@code -Pprotobuf3} (.ci/protobuf3.sh) the server and KMS tests
 * run on protobuf-java 3.25, which this test confirms is the one loaded.
 */
class ProtobufRuntimeTest {

    @Test
    void noGeneratedMessageNeedsAProtobuf4Runtime() throws Exception {
        List<Path> classes = generated();
        assertTrue(classes.size() > 20, "generated classes: " + classes.size());
        for (Path c : classes) {
            String bytes = new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
            assertFalse(bytes.contains("com/google/protobuf/RuntimeVersion"), c + " needs protobuf-java 4");
        }
    }

    @Test
    void theRuntimeIsTheOneTheBuildAskedFor() throws Exception {
        String expected = System.getProperty("evkeygen.protobuf.expect");
        String jar = Message.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        if (expected != null) {
            assertTrue(Path.of(jar).getFileName().toString().startsWith("protobuf-java-" + expected), jar);
        }
        // a message of each package round-trips on whichever runtime is loaded
        CommonV2.RequestHeader h = CommonV2.RequestHeader.newBuilder().setId("0011223344556677").setTimestamp(7).build();
        assertEquals(h, CommonV2.RequestHeader.parseFrom(h.toByteArray()));
        KmsV2.GetKeyStatusRequest q = KmsV2.GetKeyStatusRequest.newBuilder().setHeader(h).setKeyId("k").build();
        assertEquals(q, KmsV2.GetKeyStatusRequest.parseFrom(q.toByteString()));
    }

    private static List<Path> generated() throws Exception {
        Path root = Path.of(CommonV2.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".class") && p.getParent().getFileName().toString().equals("proto"))
                    .toList();
        }
    }
}
