package io.evkeygen.cli;

import io.evkeygen.KeyGenerator;
import io.evkeygen.params.EvalMode;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What the root command does, whichever parser read its flags ({@link RootCommand} through picocli,
 * or {@link QuickGenerateArgs} for the everyday command line): generate one key set, store it, and
 * say where on stdout. Free of picocli, so the quick path never loads it.
 */
final class GenerateAction {
    private GenerateAction() {}

    static int run(GenerateOptions options, StoreOptions store, KekOptions seal, boolean terminal, InputStream stdin,
            PrintWriter out, PrintWriter err) throws Exception {
        boolean remote = store.remote();
        if (remote) {
            store.require(options.keyId, options.keyPath);
            store.refuseLocalSealing(seal.sealMode, seal.sealKeyPath, seal.sealKeyStdin);
        }
        KeyGenerator.Builder b = options.builder();
        // Only FLAT runs long enough to deserve a progress line, and only a person watching sees it.
        if (terminal && options.mode() == EvalMode.FLAT) {
            b.progress(new ProgressLine(err));
        }
        try (KekProvider sealer = seal.forSealing(stdin, err, store);
             KeyGenerator generator = b.seal(sealer).build()) {
            String sealedNote = sealer == null ? "" : " (SecKey and MetadataKey sealed with " + sealer.description() + ")";
            if (remote) {
                try (KeyStore target = store.open(options.keyPath)) {
                    out.println("Key set uploaded to " + generator.generateKeys(target) + sealedNote);
                }
                return 0;
            }
            Path dir = generator.generateKeys();
            out.println("Key set written to " + dir + sealedNote);
        }
        return 0;
    }
}
