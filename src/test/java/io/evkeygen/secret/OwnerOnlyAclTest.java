package io.evkeygen.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.testutil.InMemoryFileSystems;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Owner-only on a Windows-configured file system: an ACL for this user alone, given at creation. */
class OwnerOnlyAclTest {
    @Test
    void anAclFileSystemGetsOneEntryForThisUserAlone() throws Exception {
        try (FileSystem fs = InMemoryFileSystems.windows()) {
            Path work = InMemoryFileSystems.workDirectory(fs);
            assertFalse(OwnerOnly.posix(work));
            assertTrue(OwnerOnly.acl(work));
            Path f = work.resolve("secret");
            OwnerOnly.create(f, false, a -> Files.createFile(f, a));
            Path d = OwnerOnly.createDirectory(work.resolve("dir"));
            Path inner = work.resolve("a").resolve("b");
            OwnerOnly.createDirectories(inner);
            assertTrue(InMemoryFileSystems.ownerOnly(inner.getParent()), "each missing parent too");
            for (Path p : List.of(f, d)) {
                List<AclEntry> acl = Files.getFileAttributeView(p, AclFileAttributeView.class).getAcl();
                assertEquals(1, acl.size(), p + ": " + acl);
                assertEquals(Files.getOwner(p), acl.get(0).principal());
                assertEquals(EnumSet.allOf(AclEntryPermission.class), acl.get(0).permissions());
                assertTrue(InMemoryFileSystems.ownerOnly(p));
            }
            // a directory's entry is inherited by what is made in it; a file's has nothing to pass on
            assertEquals(Set.of(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT),
                    Files.getFileAttributeView(d, AclFileAttributeView.class).getAcl().get(0).flags());
            assertEquals(Set.of(), Files.getFileAttributeView(f, AclFileAttributeView.class).getAcl().get(0).flags());
        }
    }

    @Test
    void entriesOtherThanTheOwnersAreReplacedBeforeTheCallerWrites() throws Exception {
        try (FileSystem fs = InMemoryFileSystems.windows()) {
            Path work = InMemoryFileSystems.workDirectory(fs);
            Path lock = Files.createFile(work.resolve("lock")); // there already, as CREATE finds a lock file
            AclEntry everyone = AclEntry.newBuilder().setType(AclEntryType.ALLOW)
                    .setPrincipal(fs.getUserPrincipalLookupService().lookupPrincipalByName("Everyone"))
                    .setPermissions(AclEntryPermission.READ_DATA).build();
            Files.getFileAttributeView(lock, AclFileAttributeView.class).setAcl(List.of(everyone));
            try (FileChannel c = OwnerOnly.create(lock, false, a -> FileChannel.open(lock,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), a))) {
                assertTrue(InMemoryFileSystems.ownerOnly(lock));
            }
        }
    }

    @Test
    void aPosixFileSystemGetsModesWhateverTheDefaultOneHas() throws Exception {
        try (FileSystem fs = InMemoryFileSystems.osX()) {
            Path work = InMemoryFileSystems.workDirectory(fs);
            assertFalse(OwnerOnly.acl(work));
            Path f = work.resolve("secret");
            OwnerOnly.create(f, false, a -> Files.createFile(f, a));
            Path d = OwnerOnly.createDirectory(work.resolve("dir"));
            assertTrue(InMemoryFileSystems.ownerOnly(f));
            assertTrue(InMemoryFileSystems.ownerOnly(d));
        }
    }
}
