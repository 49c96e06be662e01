package io.evkeygen.kms.server;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** KMS server processes for the tests (the client's too), and plain channels to them. */
public final class KmsProcesses {
    private KmsProcesses() {}

    /** A started child and its channel. */
    public record Child(Process process, int port, ManagedChannel channel, Path log) implements AutoCloseable {
        <Q, R> R call(MethodDescriptor<Q, R> method, Q request) {
            return ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel,
                    MetadataUtils.newAttachHeadersInterceptor(KmsFixture.bearer(KmsFixture.ALICE))), method,
                    CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), request);
        }

        public int awaitExit() throws InterruptedException {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the child did not exit");
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            channel.shutdownNow();
            process.destroyForcibly();
        }
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code command} (its stdout and stderr to {@code log}) and waits for it to write {@code portFile}. */
    public static Child start(List<String> command, Path portFile, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(portFile)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("the server did not start: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        int port = Integer.parseInt(Files.readString(portFile).strip());
        ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
                .maxInboundMessageSize(8 << 20).build();
        return new Child(p, port, ch, log);
    }

    /** A {@link KmsServerChild} over {@code keyPath}. */
    static Child server(Path dir, String name, Path keyPath, Path tokens, String crashAt, long leaseMillis,
                        List<String> jvmOptions, int... dims) throws IOException, InterruptedException {
        Path portFile = dir.resolve(name + ".port");
        Files.deleteIfExists(portFile);
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KmsServerChild.class.getName(),
                keyPath.toString(), tokens.toString(), portFile.toString(), crashAt, Long.toString(leaseMillis)));
        for (int d : dims) {
            cmd.add(Integer.toString(d));
        }
        return start(cmd, portFile, dir.resolve(name + ".log"));
    }
}
