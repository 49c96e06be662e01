package io.evkeygen.cli;

import io.evkeygen.error.KeygenException;
import io.evkeygen.kms.server.KmsServer;
import io.evkeygen.params.Dimensions;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code kms serve}: the enVector KMS ({@link KmsServer}) until SIGTERM, which refuses new calls,
 * drains the ones in flight (at most {@code --drain_seconds}) and exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the enVector KMS (kms.v2 KeyManagerService and TopKService) on one address.")
final class KmsServeCommand extends KmsStoreCommand {
    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:50051",
            description = "Address to listen on; port 0 picks a free port (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = {"--port_file", "--port-file"}, paramLabel = "FILE",
            description = "Write the bound port here once calls are accepted.")
    Path portFile;

    @Option(names = {"--tls_cert", "--tls-cert"}, paramLabel = "PEM", description = "Server certificate chain (PEM).")
    Path tlsCert;

    @Option(names = {"--tls_key", "--tls-key"}, paramLabel = "PEM", description = "Its private key (PEM, PKCS#8).")
    Path tlsKey;

    @Option(names = "--plaintext", description = "No TLS: only on a loopback address.")
    boolean plaintext;



    @Option(names = "--dim", arity = "1..*", paramLabel = "DIM",
            description = "Dims of every set it generates (default: 32 64 128 256 512 1024 2048, which share RMP pad"
                    + " rank 32; serve 4096 from a server of its own with --dim 4096).")
    List<Integer> dims;

    @Option(names = "--tokens", required = true, paramLabel = "FILE",
            description = "Callers: lines '<principal> <key-id-prefix> <sha256-hex of the token>' (see kms add-token).")
    Path tokens;

    @Option(names = {"--max_k", "--max-k"}, paramLabel = "K", defaultValue = "1024",
            description = "Most results of one TopK; a larger k is clamped (default: ${DEFAULT-VALUE}).")
    int maxK;

    @Option(names = {"--audit_log", "--audit-log"}, paramLabel = "FILE",
            description = "Append the audit lines here (default: stdout, after the listening line).")
    Path auditLog;

    @Option(names = {"--drain_seconds", "--drain-seconds"}, paramLabel = "SECONDS", defaultValue = "30",
            description = "On SIGTERM, how long in-flight calls may finish (default: ${DEFAULT-VALUE}).")
    double drainSeconds;

    @Option(names = {"--status_wait_ms", "--status-wait-ms"}, paramLabel = "MS", defaultValue = "250",
            description = "How long GetKeyStatus may hold a PENDING answer while this server generates the key,"
                    + " within the caller's deadline; 0 answers at once (default: ${DEFAULT-VALUE}).")
    long statusWaitMs;


    @Override
    public Integer call() throws Exception {
        HostPort address = HostPort.parse(listen);
        Duration drain = Seconds.deadline(drainSeconds, "--drain_seconds", Duration.ofHours(1));
        if (plaintext == (tlsCert != null || tlsKey != null)) {
            throw KeygenException.usage(plaintext ? "--plaintext takes no --tls_cert or --tls_key"
                    : "give --tls_cert and --tls_key, or --plaintext on a loopback address");
        }
        if (!plaintext && (tlsCert == null || tlsKey == null)) {
            throw KeygenException.usage("TLS needs both --tls_cert and --tls_key");
        }
        if (statusWaitMs < 0 || statusWaitMs > 60_000) {
            throw KeygenException.usage("--status_wait_ms must be 0 to 60000, not " + statusWaitMs);
        }
        List<Integer> serving = dims == null ? KmsServer.DEFAULT_DIMS : dims;
        serving.forEach(Dimensions::check);
        PrintWriter out = spec.commandLine().getOut();
        try (KekProvider master = master();
             KeyStore keys = openStore();
             PrintStream audit = auditLog == null ? null
                     : new PrintStream(new FileOutputStream(auditLog.toFile(), true), true, StandardCharsets.UTF_8)) {
            KmsServer.Builder b = KmsServer.builder().listen(address.host(), address.port())
                    .store(keys, localRoot()).master(master).dims(serving).tokens(tokens).maxK(maxK)
                    .statusWait(Duration.ofMillis(statusWaitMs))
                    .audit(audit != null ? audit::println : line -> {
                        out.println(line);
                        out.flush();
                    });
            if (plaintext) {
                b.plaintext();
            } else {
                b.tls(tlsCert, tlsKey);
            }
            KmsServer server = b.build();
            CountDownLatch stop = new CountDownLatch(1);
            Signal.handle(new Signal("TERM"), s -> stop.countDown());
            server.start();
            out.println("kms listening on " + address.withPort(server.port()));
            out.flush();
            if (portFile != null) {
                writeAtomically(portFile, Integer.toString(server.port()));
            }
            stop.await();
            server.shutdown(drain);
            return 0;
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code HOST:PORT}, with {@code [v6]:PORT} for an IPv6 address. */
    record HostPort(String host, int port) {
        static HostPort parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw KeygenException.usage("--listen must be HOST:PORT, not '" + text + "'");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw KeygenException.usage("--listen port must be a number, not '" + text.substring(colon + 1) + "'");
            }
            if (port < 0 || port > 65535) {
                throw KeygenException.usage("--listen port must be 0 to 65535, not " + port);
            }
            return new HostPort(host, port);
        }

        String withPort(int bound) {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound;
        }
    }
}
