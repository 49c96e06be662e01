package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.TestSupport;
import io.evkeygen.testutil.InMemoryFileSystems;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The KMS tokens file on a Windows-configured file system: owner-only by ACL, replaced whole. */
class KmsTokenFileAclTest {
    @Test
    void appendedLinesLandInAnOwnerOnlyFile() throws Exception {
        try (FileSystem fs = InMemoryFileSystems.windows()) {
            Path work = InMemoryFileSystems.workDirectory(fs);
            Path tokens = work.resolve("tokens");
            KmsAddTokenCommand.append(tokens, "first");
            KmsAddTokenCommand.append(tokens, "second");
            assertEquals("first\nsecond", Files.readString(tokens));
            assertTrue(InMemoryFileSystems.ownerOnly(tokens));
            assertTrue(InMemoryFileSystems.ownerOnly(work.resolve("tokens.lock")));
            assertEquals(List.of("tokens", "tokens.lock"), TestSupport.list(work), "no temporary file left");
        }
    }
}
