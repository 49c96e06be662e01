package io.evkeygen.bench;

import io.evkeygen.internal.nativecore.NativeSha256;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * Hand-run SHA-256 measurements, JDK MessageDigest against NativeSha256 (not a unit test):
 * <pre>
 *   java -cp CP io.evkeygen.bench.Sha256Bench cold jdk|native [bytes]           # one hash in a fresh JVM
 *   java -cp CP io.evkeygen.bench.Sha256Bench warm [bytes]                      # after warm-up, best of 10
 * </pre>
 * The library is loaded before the clock starts (key generation loads it anyway).
 */
public final class Sha256Bench {
    private Sha256Bench() {}

    private static byte[] hash(String impl, byte[] data) throws Exception {
        switch (impl) {
            case "jdk" -> {
                return MessageDigest.getInstance("SHA-256").digest(data);
            }
            case "native" -> {
                try (NativeSha256 h = NativeSha256.create()) {
                    return h.update(data, 0, data.length).digest();
                }
            }
            default -> throw new IllegalArgumentException("unknown implementation " + impl + ": use jdk or native");
        }
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "warm";
        if (!NativeSha256.available()) {
            throw new IllegalStateException("native library unavailable");
        }
        if (mode.equals("cold")) {
            String impl = args.length > 1 ? args[1] : "jdk";
            byte[] data = data(args.length > 2 ? Integer.parseInt(args[2]) : 4_300_000);
            long t0 = System.nanoTime();
            byte[] d = hash(impl, data);
            long t1 = System.nanoTime();
            System.out.printf("cold %s %d bytes: %.1f ms (%s) %s%n", impl, data.length, (t1 - t0) / 1e6,
                    NativeSha256.implementation(), HexFormat.of().formatHex(d, 0, 4));
            return;
        }
        byte[] data = data(args.length > 1 ? Integer.parseInt(args[1]) : 12_800_000);
        for (String impl : new String[] {"jdk", "native"}) {
            for (int i = 0; i < 20; i++) {
                hash(impl, data);
            }
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                hash(impl, data);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("warm %s %d bytes: %.2f ms, %.0f MB/s%n", impl, data.length, best * 1e3,
                    data.length / best / 1e6);
        }
    }

    private static byte[] data(int len) {
        byte[] b = new byte[len];
        new Random(1).nextBytes(b);
        return b;
    }
}
