package io.evkeygen.cli;

import io.evkeygen.KeySet;
import io.evkeygen.keyset.InspectionReport.FileReport;
import io.evkeygen.keyset.InspectionReport;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.vault.VaultTransitKekProvider;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints {@link KeySet#inspect}: parameters, dims, ranks, files and hashes, never secret material. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show parameters, eval mode, dims, ranks, file sizes and hashes (never secret material).")
final class InspectCommand implements Callable<Integer> {
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

    InspectCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws Exception {
        InspectionReport r;
        try (KekProvider provider = kek.forOpening(stdin, spec.commandLine().getErr(), region.region)) {
            r = KeySet.inspect(dir, provider);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dir", r.dir().toString());
        out.put("kid", r.kid());
        out.put("created_at", r.createdAt().toString());
        out.put("parameters", parameters(r.parameters()));
        out.put("security", r.security());
        out.put("eval_mode", r.evalMode().map(Enum::name).orElse(null));
        out.put("dims", r.dims());
        out.put("ranks", r.ranks());
        out.put("metadata_encryption", r.metadataEncryption());
        List<Map<String, Object>> files = new ArrayList<>();
        for (FileReport f : r.files()) {
            files.add(file(f));
        }
        out.put("files", files);
        out.put("reseal_interrupted", r.resealInterrupted());
        if (json) {
            Json.print(spec.commandLine().getOut(), out);
        } else {
            printHuman(spec.commandLine().getOut(), out, r);
        }
        return 0;
    }

    private static Map<String, Object> file(FileReport f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("size", f.size());
        m.put("key_data_length", f.keyDataLength());
        m.put("key_data_sha256", f.keyDataSha256());
        m.put("file_sha256", f.fileSha256());
        m.put("sealed", f.sealed());
        f.sealAlg().ifPresent(a -> m.put("seal_alg", a));
        f.kmsKeyId().ifPresent(k -> m.put("kms_key_id", k));
        if (f.unsealedOk()) {
            m.put("unsealed_ok", true);
        }
        return m;
    }

    private static Map<String, Object> parameters(io.evkeygen.params.Parameters p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", p.preset());
        m.put("N", p.n());
        m.put("Q", p.q());
        m.put("P", p.p());
        m.put("DB_SCALE_FACTOR", p.dbScale());
        m.put("QUERY_SCALE_FACTOR", p.queryScale());
        return m;
    }

    private static void printHuman(PrintWriter w, Map<String, Object> m, InspectionReport r) {
        for (String k : List.of("dir", "kid", "created_at", "parameters", "security", "eval_mode", "dims", "ranks",
                "metadata_encryption")) {
            w.printf("%-20s %s%n", k, m.get(k));
        }
        w.println("files");
        for (FileReport f : r.files()) {
            w.printf("  %-17s %12d B  key data %10d B  sha256 %s%s%n", f.name(), f.size(), f.keyDataLength(),
                    f.keyDataSha256(), f.sealed() ? "  (sealed" + f.kmsKeyId().map(InspectCommand::sealedWith).orElse("")
                            + (f.unsealedOk() ? ", KEK opens it)" : ")") : "");
        }
        if (r.resealInterrupted()) {
            w.println(ResealNote.TEXT);
        }
    }

    /** {@code  with Vault Transit transit/evk:v2} or {@code  with AWS KMS arn:...}, by the stored key id. */
    private static String sealedWith(String kmsKeyId) {
        String transit = VaultTransitKekProvider.KEY_ID_PREFIX;
        return kmsKeyId.startsWith(transit) ? " with Vault Transit " + kmsKeyId.substring(transit.length())
                : " with AWS KMS " + kmsKeyId;
    }
}
