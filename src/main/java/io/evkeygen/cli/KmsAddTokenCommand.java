package io.evkeygen.cli;

import io.evkeygen.error.KeygenException;
import io.evkeygen.kms.server.KmsServer;
import io.evkeygen.secret.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kms add-token PRINCIPAL PREFIX --tokens FILE}: prints a fresh random token once and appends
 * its line ({@code <principal> <prefix> <sha256-hex>}) to the tokens file: under a lock, through a
 * private temporary file renamed into place, so a running server reads the old or the new file.
 */
@Command(name = "add-token", mixinStandardHelpOptions = true,
        description = "Make a bearer token for a KMS caller: prints it once, stores only its SHA-256.")
final class KmsAddTokenCommand implements Callable<Integer> {
    static final int TOKEN_BYTES = 32;

    @Parameters(index = "0", paramLabel = "PRINCIPAL", description = "Who the token is for (the actor in key records).")
    String principal;

    @Parameters(index = "1", paramLabel = "PREFIX", description = "Key ids it may use: a prefix, or * for all.")
    String prefix;

    @Option(names = "--tokens", required = true, paramLabel = "FILE", description = "The server's tokens file.")
    Path tokens;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        check("PRINCIPAL", principal);
        check("PREFIX", prefix);
        if (principal.startsWith("#")) {
            throw KeygenException.usage("PRINCIPAL must not start with '#' (a comment in the tokens file)");
        }
        byte[] raw = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        append(tokens, KmsServer.tokenLine(principal, prefix, token) + "\n");
        spec.commandLine().getOut().println(token);
        return 0;
    }

    private static void check(String what, String value) {
        if (value.isEmpty() || value.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw KeygenException.usage(what + " must be one word without spaces or control characters");
        }
    }

    /** Appends {@code line} to {@code file} atomically (owner-only), serialized by a lock on {@code FILE.lock}. */
    static void append(Path file, String line) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path lockFile = dir.resolve(file.getFileName() + ".lock");
        try (FileChannel lockChannel = OwnerOnly.create(lockFile, false, a -> FileChannel.open(lockFile,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), a)); FileLock ignored = lockChannel.lock()) {
            byte[] old = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
            boolean needsNewline = old.length > 0 && old[old.length - 1] != '\n';
            Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try (FileChannel c = OwnerOnly.create(tmp, false, a -> FileChannel.open(tmp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), a))) {
                write(c, old);
                write(c, ((needsNewline ? "\n" : "") + line).getBytes(StandardCharsets.UTF_8));
                c.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void write(FileChannel c, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            c.write(b);
        }
    }
}
