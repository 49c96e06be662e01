package io.evkeygen.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The everyday command line (a local generation: dims, key path and id, eval mode, preset, seed,
 * backend, threads, sealing with a KEK file or stdin) read without picocli. picocli builds its
 * model from annotations by reflection and loads about 170 classes that the class-data archive
 * cannot hold (Java 5 bytecode): in a cold JVM that is about a third of a whole `--dim 1024` run.
 *
 * <p>It accepts only what it reads exactly as picocli would, and {@link #parse} returns null for
 * anything else: help or version, a subcommand, an unknown or repeated flag, {@code --flag=value},
 * a value that starts with '-', an {@code @file} argument, a word that names a subcommand, a number
 * not in plain decimal, the custom-parameter and remote-store flags. picocli then parses the whole
 * command line, so usage errors and help come from one place. {@code QuickGenerateArgsTest} holds
 * both parsers to the same result.
 */
final class QuickGenerateArgs {
    final GenerateOptions options = GenerateOptions.defaults();
    final StoreOptions store = StoreOptions.defaults();
    final KekOptions seal = new KekOptions();
    boolean debug;
    boolean verbose;

    private QuickGenerateArgs() {}

    /**
     * The flags read as picocli would read them, or null when picocli must parse them. Any argument
     * that names a subcommand, even as a flag's value, is left to picocli, which may read it as one.
     */
    static QuickGenerateArgs parse(String[] args, Collection<String> subcommands) {
        for (String a : args) {
            if (subcommands.contains(a) || a.equals("help") || a.startsWith("@")) {
                return null;
            }
        }
        QuickGenerateArgs q = new QuickGenerateArgs();
        Set<String> seen = new HashSet<>();
        int i = 0;
        while (i < args.length) {
            String flag = args[i++];
            String name = canonical(flag);
            if (name == null || (!name.equals("--dim") && !seen.add(name))) {
                return null; // unknown, or a single-valued flag given twice (picocli's error)
            }
            if (isSwitch(name)) {
                q.setSwitch(name);
                continue;
            }
            if (name.equals("--dim")) {
                int start = i;
                for (Integer dim; i < args.length && (dim = decimal(args[i])) != null; i++) {
                    if (q.options.dims == null) {
                        q.options.dims = new ArrayList<>();
                    }
                    q.options.dims.add(dim);
                }
                if (i == start) {
                    return null;
                }
                continue;
            }
            if (i == args.length || args[i].startsWith("-") || !q.setValue(name, args[i++])) {
                return null;
            }
        }
        return q;
    }

    /** The one spelling this parser keys a flag by, or null for a flag it leaves to picocli. */
    private static String canonical(String flag) {
        return switch (flag) {
            case "--dim", "--dim_list", "--dim-list" -> "--dim";
            case "--key_path", "--key-path" -> "--key_path";
            case "--key_id", "--key-id" -> "--key_id";
            case "--eval_mode", "--eval-mode" -> "--eval_mode";
            case "--metadata_encryption", "--metadata-encryption" -> "--metadata_encryption";
            case "--seed" -> "--seed";
            case "--seed-file", "--seed_file" -> "--seed-file";
            case "--backend" -> "--backend";
            case "--threads" -> "--threads";
            case "--preset" -> "--preset";
            case "--seal_mode", "--seal-mode" -> "--seal_mode";
            case "--seal_key_path", "--seal-key-path" -> "--seal_key_path";
            case "--seal_key_stdin", "--seal-key-stdin" -> "--seal_key_stdin";
            case "--debug" -> "--debug";
            case "--verbose" -> "--verbose";
            default -> null;
        };
    }

    private static boolean isSwitch(String name) {
        return name.equals("--seal_key_stdin") || name.equals("--debug") || name.equals("--verbose");
    }

    private void setSwitch(String name) {
        switch (name) {
            case "--seal_key_stdin" -> seal.sealKeyStdin = true;
            case "--debug" -> debug = true;
            default -> verbose = true;
        }
    }

    /** Sets a valued flag; false when the value is one picocli might convert differently (a bad path or number). */
    private boolean setValue(String name, String value) {
        switch (name) {
            case "--key_path" -> {
                return (options.keyPath = path(value)) != null;
            }
            case "--seed-file" -> {
                return (options.seedFile = path(value)) != null;
            }
            case "--seal_key_path" -> {
                return (seal.sealKeyPath = path(value)) != null;
            }
            case "--threads" -> {
                return (options.threads = decimal(value)) != null;
            }
            case "--metadata_encryption" -> {
                if (!value.equals("true") && !value.equals("false")) {
                    return false;
                }
                options.metadataEncryption = value.equals("true");
            }
            case "--key_id" -> options.keyId = value;
            case "--eval_mode" -> options.evalMode = value;
            case "--seed" -> options.seedHex = value;
            case "--backend" -> options.backend = value;
            case "--preset" -> options.parameters.preset = value;
            case "--seal_mode" -> seal.sealMode = value;
            default -> throw new IllegalStateException(name);
        }
        return true;
    }

    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** A non-negative int in plain decimal ("0", "32"; not "032", "+1" or "0x20"), else null. */
    static Integer decimal(String s) {
        if (s.isEmpty() || s.length() > 10 || (s.length() > 1 && s.charAt(0) == '0')) {
            return null;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
        }
        return v <= Integer.MAX_VALUE ? (int) v : null;
    }
}
