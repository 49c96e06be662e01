package io.evkeygen.params;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.evkeygen.error.KeygenException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A parameter block as written, before validation: the one parser of parameter blocks, whether
 * from an envelope ({@code entries[0].metadata.parameter}) or from a user's parameters file. Absent fields are null; {@link #resolve()} turns a literal into validated
 * {@link Parameters} (Lattigo's literal/validated split).
 *
 * @param preset        the preset name ({@value Presets#CUSTOM_NAME} for a custom set)
 * @param n             ring degree
 * @param q             ciphertext prime
 * @param p             special prime
 * @param hammingWeight secret weight
 * @param errorSigma    error standard deviation (the file spelling only)
 * @param errorBound    largest |e| (the file spelling only)
 * @param dbScale       DB scale factor
 * @param queryScale    QUERY scale factor
 */
public record ParameterLiteral(String preset, Long n, Long q, Long p, Long hammingWeight, Double errorSigma,
                               Long errorBound, Double dbScale, Double queryScale) {

    /** The field names of a block: the envelope's (spec section 6) or this project's files'. */
    public enum Spelling {
        ENVELOPE("preset", "N", "Q", "P", "HAMMING_WEIGHT", null, null, "DB_SCALE_FACTOR", "QUERY_SCALE_FACTOR"),
        FILE("name", "n", "q", "p", "hamming_weight", "error_sigma", "error_bound", "db_scale", "query_scale");

        final String[] names;

        Spelling(String... names) {
            this.names = names;
        }
    }

    /**
     * Reads one JSON object from {@code p}, positioned on its {@code START_OBJECT}. Unknown fields are
     * skipped; a field of the wrong JSON type is an error of {@code kind} naming {@code where.field}.
     */
    public static ParameterLiteral read(JsonParser p, Spelling spelling, String where, KeygenException.Kind kind)
            throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new KeygenException(kind, where + " must be an object");
        }
        String preset = null;
        Long[] ints = new Long[7];
        Double[] reals = new Double[9];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            int i = indexOf(spelling, field);
            String path = where + "." + field;
            switch (i) {
                case 0 -> {
                    if (t != JsonToken.VALUE_STRING) {
                        throw new KeygenException(kind, path + " must be a string");
                    }
                    preset = p.getText();
                }
                case 1, 2, 3, 4, 6 -> ints[i] = integer(p, t, path, kind);
                case 5, 7, 8 -> reals[i] = number(p, t, path, kind);
                default -> p.skipChildren();
            }
        }
        return new ParameterLiteral(preset, ints[1], ints[2], ints[3], ints[4], reals[5], ints[6], reals[7], reals[8]);
    }

    /** Reads a parameters file (this project's spelling); every problem is a USAGE error naming the file. */
    public static ParameterLiteral readFile(Path file) throws IOException {
        String where = "parameters file " + file;
        // a factory per file read: a static one would load Jackson into every generation, parameters file or not
        try (InputStream in = Files.newInputStream(file); JsonParser p = new JsonFactory().createParser(in)) {
            p.nextToken();
            return read(p, Spelling.FILE, where, KeygenException.Kind.USAGE);
        } catch (NoSuchFileException e) {
            throw new KeygenException(KeygenException.Kind.IO, where + " does not exist");
        } catch (JsonProcessingException e) {
            throw KeygenException.usage(where + " is not valid JSON");
        }
    }

    /**
     * The validated parameters: a named preset must match its {@link Presets} definition exactly (Q, P and the
     * scale factors); {@value Presets#CUSTOM_NAME} is checked by the same rules as at generation.
     *
     * @throws KeygenException USAGE naming what does not fit
     */
    public Parameters resolve() {
        if (preset == null || q == null || p == null || dbScale == null || queryScale == null) {
            throw KeygenException.usage("a parameter block needs preset, Q, P and both scale factors");
        }
        if (Presets.CUSTOM_NAME.equals(preset)) {
            if (hammingWeight == null || n == null || n != 4096) {
                throw KeygenException.usage("custom parameter block needs N = 4096 and HAMMING_WEIGHT");
            }
            try {
                return Parameters.custom(q, p, Math.toIntExact(hammingWeight), dbScale, queryScale);
            } catch (KeygenException | ArithmeticException e) {
                throw KeygenException.usage("custom parameters are not acceptable: " + e.getMessage());
            }
        }
        Parameters known = Presets.find(preset, q, p);
        if (known == null) {
            boolean named = Presets.all().stream().anyMatch(x -> x.preset().equals(preset));
            throw KeygenException.usage(named ? "parameter block does not match preset " + preset + " (Q or P differ)"
                    : "unsupported preset '" + preset + "'");
        }
        if (dbScale.doubleValue() != known.dbScale() || queryScale.doubleValue() != known.queryScale()) {
            throw KeygenException.usage("parameter block does not match preset " + preset + " (scale factors differ)");
        }
        return known;
    }

    private static int indexOf(Spelling spelling, String field) {
        for (int i = 0; i < spelling.names.length; i++) {
            if (field.equals(spelling.names[i])) {
                return i;
            }
        }
        return -1;
    }

    private static long integer(JsonParser p, JsonToken t, String path, KeygenException.Kind kind) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw new KeygenException(kind, path + " must be an integer");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new KeygenException(kind, path + " is out of range");
        }
        return p.getLongValue();
    }

    private static double number(JsonParser p, JsonToken t, String path, KeygenException.Kind kind) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
            throw new KeygenException(kind, path + " must be a number");
        }
        return p.getDoubleValue();
    }
}
