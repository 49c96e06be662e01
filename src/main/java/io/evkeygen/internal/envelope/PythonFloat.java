package io.evkeygen.internal.envelope;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr(float)}, which {@code json.dumps} uses for floats: the shortest digit string
 * that round-trips, in fixed notation when the decimal exponent is in [-4, 16), otherwise
 * {@code d.ddde+XX}. Java 17's {@code Double.toString} is neither shortest in all cases nor
 * formatted the same way, hence this helper.
 */
public final class PythonFloat {
    private PythonFloat() {}

    /** Python's {@code repr(d)}: e.g. {@code 24.0}, {@code 1e+16}, {@code 0.0001}, {@code 1e-05}. */
    public static String repr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestRoundTrip(Math.abs(d));
        String digits = shortest.unscaledValue().toString();
        // strip trailing zeros of the digit string; they only move the exponent
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        int decpt = digits.length() - shortest.scale(); // value = 0.DIGITS * 10^decpt
        digits = digits.substring(0, end);
        String body = (decpt <= -4 || decpt > 16) ? scientific(digits, decpt) : fixed(digits, decpt);
        return d < 0 ? "-" + body : body;
    }

    /** {@code json.dumps} spelling: non-finite values as {@code NaN}, {@code Infinity}, {@code -Infinity}. */
    public static String json(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return repr(d);
    }

    /** The nearest decimal with the fewest significant digits that parses back to {@code d}. */
    private static BigDecimal shortestRoundTrip(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                return candidate;
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }

    private static String fixed(String digits, int decpt) {
        StringBuilder sb = new StringBuilder();
        if (decpt <= 0) {
            sb.append("0.");
            sb.append("0".repeat(-decpt)).append(digits);
        } else if (decpt >= digits.length()) {
            sb.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
        } else {
            sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
        }
        return sb.toString();
    }

    private static String scientific(String digits, int decpt) {
        StringBuilder sb = new StringBuilder();
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        int exp = decpt - 1;
        sb.append('e').append(exp < 0 ? '-' : '+');
        int abs = Math.abs(exp);
        if (abs < 10) {
            sb.append('0');
        }
        return sb.append(abs).toString();
    }
}
