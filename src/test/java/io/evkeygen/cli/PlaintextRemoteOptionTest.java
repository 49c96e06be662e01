package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --allow_plaintext_remote} is one flag: in server register and activate it covers the
 * server and the key store alike (both mixins read the one declaration).
 */
class PlaintextRemoteOptionTest {
    private static ServerCommand.Register parseRegister(String... args) {
        CommandLine cl = new CommandLine(new ServerCommand(false, new ByteArrayInputStream(new byte[0])));
        CommandLine.ParseResult r = cl.parseArgs(args);
        return (ServerCommand.Register) r.subcommand().commandSpec().userObject();
    }

    @Test
    void theServerAndTheKeyStoreShareTheFlag() {
        ServerCommand.Register given = parseRegister("register", "--address", "10.1.2.3:50051", "--insecure",
                "--allow_plaintext_remote", "--key_id", "k", "--key_store", "vault");
        assertTrue(given.connection.grpc.plaintextRemote.allowed);
        assertTrue(given.store.allowPlaintextRemote());
        assertTrue(given.store.access().allowPlaintextRemote());
        ServerCommand.Register absent = parseRegister("register", "--address", "h:1", "--key_id", "k");
        assertFalse(absent.connection.grpc.plaintextRemote.allowed);
        assertFalse(absent.store.allowPlaintextRemote());
        assertEquals(1, new CommandLine(new ServerCommand.Register()).getCommandSpec().options().stream()
                .filter(o -> o.longestName().equals("--allow_plaintext_remote")).count());
    }
}
