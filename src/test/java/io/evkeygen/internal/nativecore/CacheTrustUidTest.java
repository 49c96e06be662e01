package io.evkeygen.internal.nativecore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.evkeygen.TestSupport;
import io.evkeygen.testutil.InMemoryFileSystems;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** This process's uid for the cache checks: /proc/self on Linux, a probe file where there is none (macOS). */
class CacheTrustUidTest {
    @TempDir
    Path tmp;

    @Test
    void withoutProcSelfTheOwnerOfAFreshFileIsTakenAndTheFileRemoved() throws Exception {
        Path procSelf = Path.of("/proc/self");
        assumeTrue(Files.exists(procSelf), "skipping: no /proc/self to compare with");
        int uid = (Integer) Files.getAttribute(procSelf, "unix:uid");
        assertEquals(uid, CacheTrust.effectiveUid(procSelf, tmp));
        assertEquals(uid, CacheTrust.effectiveUid(tmp.resolve("no-proc-self"), tmp));
        assertEquals(List.of(), TestSupport.list(tmp), "the probe file is deleted");
    }

    @Test
    void aFileSystemWithoutUnixAttributesHasNoUid() throws Exception {
        try (FileSystem fs = InMemoryFileSystems.windows()) {
            Path work = InMemoryFileSystems.workDirectory(fs);
            assertThrows(Exception.class, () -> CacheTrust.effectiveUid(work.resolve("proc-self"), work));
        }
    }
}
