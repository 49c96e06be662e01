package io.evkeygen.cli;

import io.evkeygen.KeyGenerator;
import io.evkeygen.error.KeygenException;
import io.evkeygen.params.EvalMode;
import io.evkeygen.secret.Seed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The generation flags of pyenvector-keygen (underscore spellings) plus dashed aliases; shared by bench. */
final class GenerateOptions {
    @Option(names = "--dim", arity = "1..*", paramLabel = "DIM",
            description = "Vector dimensions, powers of two 32..4096; repeatable (default: 32 64 ... 4096).")
    List<Integer> dims;

    @Option(names = {"--key_path", "--key-path"}, paramLabel = "DIR", defaultValue = "./keys",
            description = "Parent directory of key sets (default: ${DEFAULT-VALUE}).")
    Path keyPath;

    @Option(names = {"--key_id", "--key-id"}, paramLabel = "ID",
            description = "Key id: keys go to <key_path>/<key_id>/ (without it: into <key_path>).")
    String keyId;

    @Mixin
    ParameterOptions parameters;

    @Option(names = {"--eval_mode", "--eval-mode"}, defaultValue = "rmp", paramLabel = "MODE",
            description = "rmp, flat or mm (default: ${DEFAULT-VALUE}).")
    String evalMode;

    @Option(names = {"--metadata_encryption", "--metadata-encryption"}, arity = "1", defaultValue = "true",
            paramLabel = "true|false", description = "Write MetadataKey.json (default: ${DEFAULT-VALUE}).")
    boolean metadataEncryption;

    @Option(names = "--seed", paramLabel = "HEX", description = "Deterministic generation: 128 hex characters.")
    String seedHex;

    @Option(names = {"--seed-file", "--seed_file"}, paramLabel = "PATH",
            description = "Deterministic generation: a file of at least 64 bytes (the first 64 are used).")
    Path seedFile;

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "auto|native|java",
            description = "auto (native when its library loads, else java), native or java (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    EvalMode mode() {
        return EvalMode.parse(evalMode);
    }

    int threadCount() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** A builder with every flag applied and validated (usage errors before any work). */
    KeyGenerator.Builder builder() throws IOException {
        KeyGenerator.Builder b = KeyGenerator.builder().keyPath(keyPath).keyId(keyId).dims(dims)
                .parameters(parameters.resolve()).evalMode(mode()).metadataEncryption(metadataEncryption).threads(threadCount());
        try (Seed seed = readSeed()) {
            b.seed(seed);
        }
        return b.backend(backend);
    }

    /** The seed from --seed or --seed-file (the caller closes it), or null for a random seed. */
    Seed readSeed() throws IOException {
        if (seedHex != null && seedFile != null) {
            throw KeygenException.usage("give --seed or --seed-file, not both");
        }
        if (seedHex != null) {
            return Seed.fromHex(seedHex);
        }
        if (seedFile == null) {
            return null;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(seedFile);
        } catch (NoSuchFileException e) {
            throw KeygenException.usage("--seed-file " + seedFile + " does not exist");
        }
        if (content.length < Seed.LENGTH) {
            int n = content.length;
            Arrays.fill(content, (byte) 0);
            throw KeygenException.usage("--seed-file must hold at least 64 bytes, " + seedFile + " has " + n);
        }
        try {
            return Seed.of(content);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** The flags as a benchmark report repeats them (never the seed). */
    Map<String, Object> describe(List<Integer> normalizedDims) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dims", normalizedDims);
        m.put("eval_mode", mode().name().toLowerCase(Locale.ROOT));
        m.put("preset", parameters.preset.toLowerCase(Locale.ROOT));
        m.put("metadata_encryption", metadataEncryption);
        m.put("seeded", seedHex != null || seedFile != null);
        return m;
    }
}
