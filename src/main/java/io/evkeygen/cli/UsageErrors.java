package io.evkeygen.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * picocli's parse errors as one line that never echoes an unknown argument's value: a token or seed
 * pasted where no option takes it (say {@code --token abc}) must not reach the terminal or a log.
 * Unknown options are named without any {@code =value}; other unmatched words are only counted.
 */
final class UsageErrors {
    private UsageErrors() {}

    static String message(ParameterException ex, String[] args) {
        if (!(ex instanceof UnmatchedArgumentException u)) {
            return asTyped(ex.getMessage(), ex.getArgSpec(), args);
        }
        List<String> options = new ArrayList<>();
        int values = 0;
        for (String arg : u.getUnmatched()) {
            if (arg.startsWith("-") && arg.length() > 1) {
                int eq = arg.indexOf('=');
                options.add("'" + (eq < 0 ? arg : arg.substring(0, eq)) + "'");
            } else {
                values++;
            }
        }
        StringBuilder m = new StringBuilder();
        if (!options.isEmpty()) {
            m.append(options.size() == 1 ? "Unknown option: " : "Unknown options: ").append(String.join(", ", options));
        }
        if (values > 0) {
            m.append(m.length() == 0 ? "" : "; ").append(values).append(values == 1
                    ? " unexpected argument (not shown)" : " unexpected arguments (not shown)");
        }
        return m.toString();
    }

    /**
     * picocli names an option by its longest name ({@code --dim_list} for {@code --dim abc}); the user
     * is told the name they typed.
     */
    static String asTyped(String message, ArgSpec spec, String[] args) {
        if (message == null || !(spec instanceof OptionSpec option)) {
            return message;
        }
        String quoted = "'" + option.longestName() + "'";
        for (String a : args) {
            int eq = a.indexOf('=');
            String name = eq > 0 && a.startsWith("-") ? a.substring(0, eq) : a;
            if (List.of(option.names()).contains(name)) {
                return message.replace(quoted, "'" + name + "'");
            }
        }
        return message;
    }
}
