package io.evkeygen.cli;

import io.evkeygen.MetadataCipher;
import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KekProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code encrypt-metadata} and {@code decrypt-metadata}: stdin through {@link MetadataCipher}. */
final class MetadataCommands {
    private MetadataCommands() {}

    /** What both commands share: the key (a key directory or a MetadataKey.json), KEK options, aad. */
    abstract static class Base implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", description = "A key directory or a MetadataKey.json file.")
        Path path;

        @Mixin
        KekOptions kek;

        @Mixin
        RegionOption region;

        @Option(names = "--aad", paramLabel = "TEXT", description = "Associated data (UTF-8), authenticated but not stored.")
        String aad;

        @Option(names = {"--legacy_metadata_key", "--legacy-metadata-key"},
                description = "Also take a MetadataKey that cannot be checked against its key set: pyenvector's"
                        + " older layouts (the plain one is unauthenticated), one without enckey_sha256, or a file"
                        + " with no EncKey.json beside it. Warns; another set's key is still refused.")
        boolean legacyMetadataKey;

        @Spec
        CommandSpec spec;

        final InputStream stdin;

        Base(InputStream stdin) {
            this.stdin = stdin;
        }

        @Override
        public Integer call() throws Exception {
            if (kek.usesStdin()) {
                throw KeygenException.usage("stdin carries the metadata here: give the KEK with --seal_key_path");
            }
            checkOptions();
            byte[] input = stdin.readAllBytes();
            try (KekProvider provider = kek.forOpening(stdin, spec.commandLine().getErr(), region.region);
                 MetadataCipher cipher = open(provider)) {
                run(cipher, input, aad == null ? null : aad.getBytes(StandardCharsets.UTF_8));
            } finally {
                Arrays.fill(input, (byte) 0);
            }
            return 0;
        }

        /** The key bound to its set; on the explicit legacy path, also an unbound one, with warnings. */
        private MetadataCipher open(KekProvider provider) throws IOException {
            if (!legacyMetadataKey) {
                return MetadataCipher.fromFile(path, provider);
            }
            return MetadataCipher.fromUnauthenticatedLegacyFile(path, provider, this::warn);
        }

        /** Refuses option combinations before anything is read. */
        void checkOptions() {
        }

        void warn(String message) {
            KekOptions.warn(spec.commandLine().getErr(), message);
        }

        abstract void run(MetadataCipher cipher, byte[] input, byte[] aad) throws Exception;
    }

    @Command(name = "encrypt-metadata", mixinStandardHelpOptions = true,
            description = "Encrypt stdin (text, JSON or bytes) with the metadata key: prints B64(iv || tag || ciphertext).")
    static final class Encrypt extends Base {
        Encrypt(InputStream stdin) {
            super(stdin);
        }

        @Override
        void run(MetadataCipher cipher, byte[] input, byte[] aad) {
            spec.commandLine().getOut().println(cipher.encrypt(input, aad));
        }
    }

    @Command(name = "decrypt-metadata", mixinStandardHelpOptions = true,
            description = "Decrypt B64(iv || tag || ciphertext) from stdin with the metadata key; writes the plaintext"
                    + " bytes. Only authentic AES-256-GCM values are decrypted.")
    static final class Decrypt extends Base {
        @Option(names = {"--legacy_unauthenticated_ctr", "--legacy-unauthenticated-ctr"},
                description = "Decrypt a value in pyenvector's legacy AES-256-CTR layout B64(iv16 || ciphertext)"
                        + " instead: nothing is authenticated, so it may be forged. Warns; never with --aad.")
        boolean legacyCtr;

        private final PrintStream rawOut;

        Decrypt(InputStream stdin, PrintStream rawOut) {
            super(stdin);
            this.rawOut = rawOut;
        }

        @Override
        void checkOptions() {
            if (legacyCtr && aad != null) {
                throw KeygenException.usage("--legacy_unauthenticated_ctr authenticates nothing, so it cannot take --aad");
            }
        }

        @Override
        void run(MetadataCipher cipher, byte[] input, byte[] aad) {
            cipher.onWarning(this::warn);
            String token = new String(input, StandardCharsets.US_ASCII);
            byte[] plain;
            if (legacyCtr) {
                plain = cipher.decryptUnauthenticatedLegacyCtr(token);
            } else {
                plain = cipher.decrypt(token, aad);
            }
            try {
                spec.commandLine().getOut().flush();
                rawOut.write(plain, 0, plain.length);
                rawOut.flush();
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }
}
