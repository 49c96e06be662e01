package io.evkeygen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.keyset.KeygenException;
import io.evkeygen.params.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --preset NAME}, or {@code --preset custom} with explicit moduli ({@code --q}, {@code --p}, ...)
 * or a JSON parameter file, validated before anything is generated.
 */
final class ParameterOptions {
    static final String CUSTOM = "custom";

    @Option(names = "--preset", defaultValue = "ip0",
            description = "Parameter preset: ip0, ip1, or custom (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--q", paramLabel = "PRIME", description = "With --preset custom: the ciphertext prime Q.")
    Long q;

    @Option(names = "--p", paramLabel = "PRIME", description = "With --preset custom: the special prime P.")
    Long p;

    @Option(names = {"--db_scale", "--db-scale"}, paramLabel = "BITS",
            description = "With --preset custom: DB scale factor (default 24.0).")
    Double dbScale;

    @Option(names = {"--query_scale", "--query-scale"}, paramLabel = "BITS",
            description = "With --preset custom: QUERY scale factor (default 24.0).")
    Double queryScale;

    @Option(names = {"--hamming_weight", "--hamming-weight"}, paramLabel = "H",
            description = "With --preset custom: non-zero secret coefficients (default 2730).")
    Integer hammingWeight;

    @Option(names = {"--params_file", "--params-file"}, paramLabel = "JSON",
            description = "With --preset custom: a JSON file {\"q\":..,\"p\":..,\"db_scale\":..,\"query_scale\":..,"
                    + "\"hamming_weight\":..}; flags given beside it override its values.")
    Path paramsFile;

    boolean isCustom() {
        return CUSTOM.equals(preset.trim().toLowerCase(Locale.ROOT));
    }

    /** The parameters the flags describe; usage errors name the broken condition. */
    Parameters resolve() throws IOException {
        if (!isCustom()) {
            if (q != null || p != null || dbScale != null || queryScale != null || hammingWeight != null
                    || paramsFile != null) {
                throw KeygenException.usage("--q, --p, --db_scale, --query_scale, --hamming_weight and "
                        + "--params_file need --preset custom");
            }
            return Parameters.forPreset(preset);
        }
        JsonNode file = paramsFile == null ? null : readFile();
        Long qv = q != null ? q : longField(file, "q");
        Long pv = p != null ? p : longField(file, "p");
        if (qv == null || pv == null) {
            throw KeygenException.usage("--preset custom needs --q and --p (or --params_file)");
        }
        double db = dbScale != null ? dbScale : doubleField(file, "db_scale", 24.0);
        double query = queryScale != null ? queryScale : doubleField(file, "query_scale", 24.0);
        int h = hammingWeight != null ? hammingWeight : (int) doubleField(file, "hamming_weight", 2730);
        return Parameters.custom(qv, pv, h, db, query);
    }

    private JsonNode readFile() throws IOException {
        try {
            return new ObjectMapper().readTree(paramsFile.toFile());
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw KeygenException.usage("--params_file " + paramsFile + " does not exist");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw KeygenException.usage("--params_file " + paramsFile + " is not valid JSON");
        }
    }

    private static Long longField(JsonNode file, String name) {
        if (file == null || !file.has(name)) {
            return null;
        }
        JsonNode v = file.get(name);
        if (!v.canConvertToExactIntegral() || !v.canConvertToLong()) {
            throw KeygenException.usage("--params_file: \"" + name + "\" must be an integer");
        }
        return v.asLong();
    }

    private static double doubleField(JsonNode file, String name, double fallback) {
        if (file == null || !file.has(name)) {
            return fallback;
        }
        if (!file.get(name).isNumber()) {
            throw KeygenException.usage("--params_file: \"" + name + "\" must be a number");
        }
        return file.get(name).asDouble();
    }
}
