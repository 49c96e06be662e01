package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evkeygen.testutil.InMemoryFileSystems;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warning about a secret file others can read, on a Windows-configured file system (ACLs, no modes). */
class SecretFilesTest {
    private static AclEntry allow(UserPrincipal who, AclEntryPermission... permissions) {
        return AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(who)
                .setPermissions(EnumSet.of(AclEntryPermission.READ_ATTRIBUTES, permissions)).build();
    }

    private static String warning(Path file) {
        StringWriter err = new StringWriter();
        SecretFiles.warnIfReadableByOthers(file, new PrintWriter(err));
        return err.toString();
    }

    @Test
    void anAclEntryLettingAnotherAccountReadIsWarnedAbout() throws Exception {
        try (FileSystem fs = InMemoryFileSystems.windows()) {
            Path f = Files.writeString(InMemoryFileSystems.workDirectory(fs).resolve("token"), "tok-1\n");
            UserPrincipalLookupService users = fs.getUserPrincipalLookupService();
            AclFileAttributeView view = Files.getFileAttributeView(f, AclFileAttributeView.class);
            List<AclEntry> acl = new ArrayList<>(List.of(allow(Files.getOwner(f), AclEntryPermission.READ_DATA),
                    allow(users.lookupPrincipalByName("NT AUTHORITY\\SYSTEM"), AclEntryPermission.READ_DATA),
                    allow(users.lookupPrincipalByName("BUILTIN\\Administrators"), AclEntryPermission.READ_DATA),
                    allow(users.lookupPrincipalByName("BUILTIN\\Users")))); // attributes only: not a reader
            view.setAcl(acl);
            assertEquals("", warning(f), "the owner, SYSTEM and Administrators are not others");

            acl.add(allow(users.lookupPrincipalByName("BUILTIN\\Users"), AclEntryPermission.READ_DATA));
            view.setAcl(acl);
            assertEquals("evkeygen: warning: " + f + " is readable by BUILTIN\\Users; remove that entry: icacls \""
                    + f + "\" /inheritance:r /grant:r %USERNAME%:F\n", warning(f));
        }
    }
}
