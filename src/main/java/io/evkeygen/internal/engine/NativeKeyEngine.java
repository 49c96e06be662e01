package io.evkeygen.internal.engine;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.nativecore.NativeBackend;
import io.evkeygen.internal.nativecore.NativeBase64Encoder;
import io.evkeygen.internal.nativecore.NativeKeyDataEncoder;
import io.evkeygen.internal.nativecore.NativeSha256;
import io.evkeygen.internal.stream.Base64Encoder;
import io.evkeygen.internal.stream.KeyDataEncoder;
import io.evkeygen.internal.stream.Sha256Digest;
import io.evkeygen.keyset.NativeLibraryStatus;
import io.evkeygen.params.Parameters;
import io.evkeygen.secret.Seed;

/**
 * The native backend ({@code libevkeygen}, C++ with SIMD, called through JNA function handles):
 * byte-identical to {@link JavaKeyEngine}, several times faster.
 *
 * <p>For the engine selector: {@link #isAvailable()} loads the library on first call (explicit path,
 * then the copy bundled in the jar) and never throws; {@link #load()} returns the engine or throws
 * with the reason; {@link #status()} gives the path, SIMD level and reason for an {@code info}
 * command. The reason is also logged once (System.Logger {@code io.evkeygen.nativecore}, DEBUG: the CLI
 * shows it with {@code --verbose}; {@code auto} falling back is no warning).
 */
public final class NativeKeyEngine implements KeyEngine {
    public static final String NAME = "native";
    private static final NativeKeyEngine INSTANCE = new NativeKeyEngine();

    private NativeKeyEngine() {}

    /** True when the native library loaded (tried once per JVM); never throws. */
    public static boolean isAvailable() {
        return NativeBackend.isAvailable();
    }

    /** Availability, library path, SIMD level, or the reason it is unavailable. */
    public static NativeLibraryStatus status() {
        return NativeBackend.status();
    }

    /**
     * The native engine.
     *
     * @throws KeygenException (kind FAILURE) saying why, when the library is unavailable
     */
    public static NativeKeyEngine load() {
        if (!isAvailable()) {
            throw new KeygenException(KeygenException.Kind.FAILURE, status().describe());
        }
        return INSTANCE;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Base64Encoder base64Encoder() {
        return NativeBase64Encoder.INSTANCE;
    }

    /** SHA-256 and base64 of the EvalKey next to the batch buffer the library writes it to. */
    @Override
    public KeyDataEncoder.Factory keyDataEncoders() {
        return NativeKeyDataEncoder.FACTORY;
    }

    /** The native core's SHA-256 (SHA-NI / ARMv8 SHA2): as fast as the JDK's warm, and from the first byte cold. */
    @Override
    public Sha256Digest newSha256() {
        NativeSha256 sha = new NativeSha256();
        return new Sha256Digest() {
            @Override
            public void update(byte[] b, int off, int len) {
                sha.update(b, off, len);
            }

            @Override
            public byte[] digest() {
                try {
                    return sha.digest();
                } finally {
                    sha.close();
                }
            }
        };
    }

    @Override
    public KeySetSession open(Parameters params, Seed seed, int threads) {
        return new NativeKeySetSession(params, seed, threads);
    }
}
