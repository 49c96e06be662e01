package io.evkeygen.bench;

import io.evkeygen.KeySet;
import io.evkeygen.server.EnvectorClient;
import io.evkeygen.server.EvalKeyPayload;
import io.evkeygen.server.FakeEnvectorServer;
import io.evkeygen.server.ServerApi;
import io.evkeygen.server.UploadProgress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * register_key throughput over loopback against {@link FakeEnvectorServer} (which hashes and checks
 * every frame): {@code RegisterBench KEY_DIR [ITERATIONS] [v2|es2e]}. Each iteration is a whole
 * {@link EnvectorClient#register}: the envelope check pass, then the streamed upload. With
 * {@code serve} instead of a key directory it only runs the fake server on a loopback port (for a
 * client in another JVM, e.g. the CLI under /usr/bin/time).
 */
public final class RegisterBench {
    private RegisterBench() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            try (FakeEnvectorServer s = FakeEnvectorServer.plaintext()) {
                System.out.println(s.address());
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            return;
        }
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ServerApi api = args.length > 2 ? ServerApi.parse(args[2]) : ServerApi.V2;
        try (FakeEnvectorServer s = FakeEnvectorServer.plaintext();
             EnvectorClient c = EnvectorClient.builder(s.address()).insecure().api(api).build()) {
            EvalKeyPayload payload = EvalKeyPayload.fromDirectory(dir);
            double[] secs = new double[n];
            long bytes = 0;
            for (int i = -1; i < n; i++) { // one warm-up
                long t0 = System.nanoTime();
                KeySet.EvalKeyDigest d = c.register(payload, UploadProgress.NONE);
                double t = (System.nanoTime() - t0) / 1e9;
                bytes = d.length();
                c.delete(d.keyId());
                if (i >= 0) {
                    secs[i] = t;
                }
                if (!s.violations.isEmpty()) {
                    throw new AssertionError(s.violations.toString());
                }
            }
            Arrays.sort(secs);
            double[] check = new double[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                payload.describe();
                check[i] = (System.nanoTime() - t0) / 1e9;
            }
            Arrays.sort(check);
            System.out.printf(Locale.ROOT, "envelope check pass alone: median %.2f s%n", check[n / 2]);
            double mb = bytes / 1e6;
            System.out.printf(Locale.ROOT, "%s: payload %.1f MB, %d runs, %s: median %.2f s (%.0f MB/s), best %.2f s (%.0f MB/s)%n",
                    dir, mb, n, api.label(), secs[n / 2], mb / secs[n / 2], secs[0], mb / secs[0]);
        }
    }
}
