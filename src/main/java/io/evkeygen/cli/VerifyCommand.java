package io.evkeygen.cli;

import io.evkeygen.KeySet;
import io.evkeygen.keyset.VerificationReport;
import io.evkeygen.spi.KekProvider;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks every file and key equation of a key directory; exit 4 on the first failed check. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify a key directory: envelopes, layouts and every key equation (sealed: give the KEK).")
final class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The key directory.")
    Path dir;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    KekOptions kek;

    @Mixin
    RegionOption region;

    @Spec
    CommandSpec spec;

    private final InputStream stdin;

    VerifyCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws Exception {
        VerificationReport r;
        try (KekProvider provider = kek.forOpening(stdin, spec.commandLine().getErr(), region.region)) {
            r = KeySet.verify(dir, provider);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("dir", dir.toString());
            m.put("preset", r.parameters().preset());
            m.put("eval_mode", r.evalMode().name());
            m.put("dims", r.dims());
            m.put("files", r.files());
            m.put("keys_checked", r.keysChecked());
            m.put("max_error", r.maxError());
            m.put("secret_checked", r.secretChecked());
            m.put("sealed", r.sealed());
            m.put("reseal_interrupted", r.resealInterrupted());
            m.put("expires_at", r.expiresAt().toString());
            Json.print(spec.commandLine().getOut(), m);
        } else {
            spec.commandLine().getOut().println("OK " + dir + ": " + r.parameters().preset() + ", " + r.evalMode()
                    + ", dims " + r.dims() + ", " + r.keysChecked() + " key equations checked, max |e| " + r.maxError()
                    + (r.sealed() ? r.secretChecked() ? ", sealed secrets opened"
                            : "; sealed: no KEK given, so the secret key and key equations were not checked" : "")
                    + "; expires " + r.expiresAt());
            if (r.resealInterrupted()) {
                spec.commandLine().getOut().println(ResealNote.TEXT);
            }
        }
        return 0;
    }
}
