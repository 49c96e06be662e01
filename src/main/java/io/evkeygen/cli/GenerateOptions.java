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
import java.util.Set;
import java.util.function.Predicate;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The generation flags of pyenvector-keygen (underscore spellings) plus dashed aliases; shared by bench. */
final class GenerateOptions {
    // Defaults, shared by the annotations (picocli) and defaults() (QuickGenerateArgs).
    static final String DEFAULT_KEY_PATH = "./keys";
    static final String DEFAULT_EVAL_MODE = "rmp";
    static final String DEFAULT_METADATA_ENCRYPTION = "true";
    static final String DEFAULT_BACKEND = "auto";

    @Option(names = {"--dim", "--dim_list", "--dim-list"}, arity = "1..*", paramLabel = "DIM",
            description = "Vector dimensions, powers of two 32..4096; repeatable; --dim_list is pyenvector 1.5's"
                    + " spelling (default: 32 64 ... 4096).")
    List<Integer> dims;

    @Option(names = {"--key_path", "--key-path"}, paramLabel = "DIR", defaultValue = DEFAULT_KEY_PATH,
            description = "Parent directory of key sets (default: ${DEFAULT-VALUE}).")
    Path keyPath;

    @Option(names = {"--key_id", "--key-id"}, paramLabel = "ID",
            description = "Key id: keys go to <key_path>/<key_id>/ (without it: into <key_path>).")
    String keyId;

    @Mixin
    ParameterOptions parameters;

    @Option(names = {"--eval_mode", "--eval-mode"}, defaultValue = DEFAULT_EVAL_MODE, paramLabel = "MODE",
            description = "rmp, flat or mm (default: ${DEFAULT-VALUE}; pyenvector 1.5's mm32, mms and mms32 are in no"
                    + " public core).")
    String evalMode;

    @Option(names = {"--metadata_encryption", "--metadata-encryption"}, arity = "1", defaultValue = DEFAULT_METADATA_ENCRYPTION,
            paramLabel = "true|false", description = "Write MetadataKey.json (default: ${DEFAULT-VALUE}).")
    boolean metadataEncryption;

    @Option(names = "--seed", paramLabel = "HEX", description = "Deterministic generation: 128 hex characters.")
    String seedHex;

    @Option(names = {"--seed-file", "--seed_file"}, paramLabel = "PATH",
            description = "Deterministic generation: a file of at least 64 bytes (the first 64 are used).")
    Path seedFile;

    @Option(names = "--backend", defaultValue = DEFAULT_BACKEND, paramLabel = "auto|native|java",
            description = "auto (native when its library loads, else java), native or java (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    /** The options as picocli leaves them when no flag is given. */
    static GenerateOptions defaults() {
        GenerateOptions o = new GenerateOptions();
        o.keyPath = Path.of(DEFAULT_KEY_PATH);
        o.evalMode = DEFAULT_EVAL_MODE;
        o.metadataEncryption = Boolean.parseBoolean(DEFAULT_METADATA_ENCRYPTION);
        o.backend = DEFAULT_BACKEND;
        o.parameters = ParameterOptions.defaults();
        return o;
    }

    /** pyenvector 1.5's eval modes that no public enVector core implements. */
    static final Set<String> UNPUBLISHED_MODES = Set.of("mms", "mm32", "mms32");

    EvalMode mode() {
        String m = evalMode.strip().toLowerCase(Locale.ROOT);
        if (UNPUBLISHED_MODES.contains(m)) {
            throw KeygenException.usage("--eval_mode " + m + " (pyenvector 1.5" + (m.equals("mm32") ? "'s default" : "")
                    + ") is not in any public enVector core, so its keys cannot be generated: use rmp (default), flat or mm");
        }
        return EvalMode.parse(evalMode);
    }

    int threadCount() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** A builder with every flag applied and validated (usage errors before any work). */
    KeyGenerator.Builder builder() throws IOException {
        return builder(option -> true);
    }

    /**
     * As {@link #builder()}, but the eval mode and metadata encryption are set on the builder only
     * when {@code given} says the user typed them (by their first name): a default is no request
     * about an existing set (KeyManager.ensureKeys). Dims are null when not given.
     */
    KeyGenerator.Builder builder(Predicate<String> given) throws IOException {
        EvalMode mode = mode(); // validated even when it stays the default
        KeyGenerator.Builder b = KeyGenerator.builder().keyPath(keyPath).keyId(keyId).dims(dims)
                .parameters(parameters.resolve()).threads(threadCount());
        if (given.test("--eval_mode")) {
            b.evalMode(mode);
        }
        if (given.test("--metadata_encryption")) {
            b.metadataEncryption(metadataEncryption);
        }
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
            throw new KeygenException(KeygenException.Kind.IO, "--seed-file " + seedFile + " does not exist");
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
