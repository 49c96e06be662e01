package io.evkeygen.cli;

import io.evkeygen.error.KeygenException;
import io.evkeygen.params.ParameterLiteral;
import io.evkeygen.params.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code --preset NAME}, or {@code --preset custom} with explicit moduli ({@code --q}, {@code --p}, ...)
 * or a JSON parameter file, validated before anything is generated.
 */
final class ParameterOptions {
    static final String CUSTOM = "custom";
    static final String DEFAULT_PRESET = "ip0";

    @Option(names = "--preset", defaultValue = DEFAULT_PRESET, paramLabel = "ip0|ip1|custom",
            description = "Parameter preset: ip0, ip1, or custom (default: ${DEFAULT-VALUE}; pyenvector 1.5's ip2 and"
                    + " ip3 are in no public core).")
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

    /** pyenvector 1.5's presets that no public enVector core publishes. */
    static final Set<String> UNPUBLISHED = Set.of("ip2", "ip3");

    /** The options as picocli leaves them when no flag is given. */
    static ParameterOptions defaults() {
        ParameterOptions o = new ParameterOptions();
        o.preset = DEFAULT_PRESET;
        return o;
    }

    /** The parameters the flags describe; usage errors name the broken condition. */
    Parameters resolve() throws IOException {
        String name = preset.strip().toLowerCase(Locale.ROOT);
        if (UNPUBLISHED.contains(name)) {
            throw KeygenException.usage("--preset " + name + " (pyenvector 1.5" + (name.equals("ip3") ? "'s default" : "")
                    + ") is not in any public enVector core, so its parameters are unknown: use ip0 (default), ip1 or custom");
        }
        if (!isCustom()) {
            if (q != null || p != null || dbScale != null || queryScale != null || hammingWeight != null
                    || paramsFile != null) {
                throw KeygenException.usage("--q, --p, --db_scale, --query_scale, --hamming_weight and "
                        + "--params_file need --preset custom");
            }
            return Parameters.forPreset(preset);
        }
        ParameterLiteral file = paramsFile == null ? EMPTY : ParameterLiteral.readFile(paramsFile);
        Long qv = q != null ? q : file.q();
        Long pv = p != null ? p : file.p();
        if (qv == null || pv == null) {
            throw KeygenException.usage("--preset custom needs --q and --p (or --params_file)");
        }
        double db = dbScale != null ? dbScale : file.dbScale() != null ? file.dbScale() : 24.0;
        double query = queryScale != null ? queryScale : file.queryScale() != null ? file.queryScale() : 24.0;
        int h = hammingWeight != null ? hammingWeight : file.hammingWeight() != null ? Math.toIntExact(file.hammingWeight()) : 2730;
        return Parameters.custom(qv, pv, h, db, query);
    }

    private static final ParameterLiteral EMPTY = new ParameterLiteral(null, null, null, null, null, null, null, null, null);
}
