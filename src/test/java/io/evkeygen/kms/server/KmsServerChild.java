package io.evkeygen.kms.server;

import io.evkeygen.KeyStores;
import io.evkeygen.spi.KekProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A KMS server process for {@link KmsProcessTest}: {@code keyPath tokens portFile crashStep leaseMillis
 * dims...}. Plaintext on loopback, master key {@link KmsFixture#MASTER}; it writes its port once it
 * accepts calls and halts (status 137, as kill -9: no hooks, no cleanup) when its background work
 * reaches {@code crashStep} ({@code none}: never).
 */
public final class KmsServerChild {
    private KmsServerChild() {}

    public static void main(String[] args) throws Exception {
        Path keyPath = Path.of(args[0]);
        String crashAt = args[3];
        List<Integer> dims = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            dims.add(Integer.parseInt(args[i]));
        }
        KmsServer server = KmsServer.builder().plaintext().listen("127.0.0.1", 0)
                .store(KeyStores.local(keyPath), keyPath).master(KekProvider.aes(KmsFixture.MASTER))
                .tokens(Path.of(args[1])).dims(dims).lease(Duration.ofMillis(Long.parseLong(args[4])))
                .audit(line -> { })
                .steps((keyId, step) -> {
                    if (step.equals(crashAt)) {
                        Runtime.getRuntime().halt(137);
                    }
                })
                .build().start();
        Path port = Path.of(args[2]);
        Path tmp = port.resolveSibling(port.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(server.port()));
        Files.move(tmp, port, StandardCopyOption.ATOMIC_MOVE);
        server.awaitTermination();
    }
}
