package io.evkeygen.cli;

import io.evkeygen.keyset.KeygenException;
import io.evkeygen.internal.codec.Envelope;
import io.evkeygen.internal.codec.EnvelopeHeader;
import io.evkeygen.internal.codec.EnvelopeReader;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.SealFields;
import io.evkeygen.internal.codec.EvalKeyIndex;
import io.evkeygen.params.SecurityEstimate;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.internal.keydir.ResealJournal;
import io.evkeygen.internal.seal.SecretFiles;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
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

/**
 * Describes a key directory without revealing secrets: secret files are read with no sink, so
 * their key data is checked (hash) but never held or printed.
 */
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
        if (!Files.isDirectory(dir)) {
            throw new KeygenException(KeygenException.Kind.IO, dir + " is not a directory");
        }
        ResealJournal.recover(dir);
        try (KekProvider provider = kek.forOpening(stdin, spec.commandLine().getErr(), region.region)) {
            return inspect(provider);
        }
    }

    private int inspect(KekProvider provider) throws Exception {
        String evalMode = null;
        List<Map<String, Object>> files = new ArrayList<>();
        EvalKeyIndex index = null;
        EnvelopeHeader any = null;
        for (KeyFileKind kind : KeyFileKind.values()) {
            Path file = dir.resolve(kind.fileName());
            if (!Files.isRegularFile(file)) {
                continue;
            }
            EvalKeyIndex sink = kind == KeyFileKind.EVALKEY ? new EvalKeyIndex() : null;
            MessageDigest fileDigest = MessageDigest.getInstance("SHA-256");
            Envelope env;
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), fileDigest)) {
                env = EnvelopeReader.read(in, kind, sink);
            }
            if (sink != null) {
                index = sink;
                evalMode = env.header().evalMode();
            }
            any = any == null ? env.header() : any;
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", kind.fileName());
            f.put("size", Files.size(file));
            f.put("key_data_length", env.binLength());
            f.put("key_data_sha256", HexFormat.of().formatHex(env.sha256()));
            f.put("file_sha256", HexFormat.of().formatHex(fileDigest.digest()));
            SealFields seal = env.header().seal();
            f.put("sealed", seal != null);
            if (seal != null) {
                f.put("seal_alg", seal.alg());
                if (seal.kms() != null) {
                    f.put("kms_key_id", seal.kms().keyId());
                }
                if (provider != null) {
                    // proves the KEK opens it; the plaintext is zeroed at once and never shown
                    Arrays.fill(SecretFiles.read(file, kind, provider).plain(), (byte) 0);
                    f.put("unsealed_ok", true);
                }
            }
            files.add(f);
        }
        if (any == null) {
            throw KeygenException.invalidKey(dir + " holds no key files");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dir", dir.toString());
        out.put("kid", any.kid());
        out.put("created_at", any.createdAt().toString());
        out.put("parameters", parameters(any));
        out.put("security", SecurityEstimate.describe(any.parameters()));
        out.put("eval_mode", evalMode);
        out.put("dims", index == null ? List.of() : index.dims());
        out.put("ranks", index == null ? List.of() : index.ranks());
        out.put("metadata_encryption", files.stream().anyMatch(f -> f.get("name").equals(KeyFileKind.METADATAKEY.fileName())));
        out.put("files", files);
        if (json) {
            Json.print(spec.commandLine().getOut(), out);
        } else {
            printHuman(spec.commandLine().getOut(), out, files);
        }
        return 0;
    }

    private static Map<String, Object> parameters(EnvelopeHeader h) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("preset", h.parameters().preset());
        p.put("N", h.parameters().n());
        p.put("Q", h.parameters().q());
        p.put("P", h.parameters().p());
        p.put("DB_SCALE_FACTOR", h.parameters().dbScale());
        p.put("QUERY_SCALE_FACTOR", h.parameters().queryScale());
        return p;
    }

    private static void printHuman(PrintWriter w, Map<String, Object> m, List<Map<String, Object>> files) {
        for (String k : List.of("dir", "kid", "created_at", "parameters", "security", "eval_mode", "dims", "ranks",
                "metadata_encryption")) {
            w.printf("%-20s %s%n", k, m.get(k));
        }
        w.println("files");
        for (Map<String, Object> f : files) {
            w.printf("  %-17s %12d B  key data %10d B  sha256 %s%s%n", f.get("name"), (Long) f.get("size"),
                    (Long) f.get("key_data_length"), f.get("key_data_sha256"),
                    Boolean.TRUE.equals(f.get("sealed")) ? "  (sealed" + (f.containsKey("kms_key_id")
                            ? " with AWS KMS " + f.get("kms_key_id") : "") + (Boolean.TRUE.equals(f.get("unsealed_ok"))
                            ? ", KEK opens it)" : ")") : "");
        }
    }
}
