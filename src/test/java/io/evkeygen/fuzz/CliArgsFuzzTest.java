package io.evkeygen.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evkeygen.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fuzzes argument parsing through {@link Main#run(String[], java.io.InputStream, PrintStream, PrintStream)}:
 * flags and subcommands from the CLI's vocabulary mixed with fuzzed values, fuzzed stdin. Properties:
 * no exception escapes, no stack trace, exit code 0..7, and a usage error (exit 2) is one
 * {@code evkeygen: } line.
 *
 * <p>Sandbox (so a fuzzed command cannot write into the checkout, reach the network or run for
 * minutes): every run gets {@code --key_path <fresh temp dir>} first; a value containing '/' is moved
 * under that dir; {@code bench}, {@code store} and {@code upload} become {@code info}, {@code aws}
 * and {@code aws-kms} become {@code local}; {@code flat} becomes {@code mm} and thread counts are
 * capped at 4; a generation (no subcommand) gets {@code --eval_mode mm} first; a fuzzed {@code --key_path} becomes {@code --key_id}. Seeds: CliArgsFuzzTestInputs/args/
 * (text: one argument per line).
 */
class CliArgsFuzzTest {
    /**
     * Issue 11 class 2, narrowed by issue 20 item 12: usage errors never echo a secret argument value
     * (a seed, hex key material); the user's own names may be echoed. On by default; -Devkeygen.fuzz.checkRedaction=false turns it off.
     */
    static final boolean CHECK_REDACTION = !"false".equals(System.getProperty("evkeygen.fuzz.checkRedaction"));


    static final java.util.Set<String> SUBCOMMANDS = java.util.Set.of("verify", "inspect", "reseal",
            "encrypt-metadata", "decrypt-metadata", "info", "bench", "store", "upload");

    /** Input: one argument per line (UTF-8); after the first empty line, stdin. */
    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({
        "verify", "inspect", "reseal", "encrypt-metadata", "decrypt-metadata", "info", "--help", "-h", "-V",
        "--version", "--debug", "--verbose", "--json", "--dim", "--key_id", "--key-id", "--eval_mode", "rmp",
        "mm", "--metadata_encryption", "true", "false", "--seed", "--seed-file", "--backend", "java", "native",
        "auto", "--threads", "--preset", "ip0", "ip1", "custom", "--q", "--p", "--hamming_weight",
        "--db_scale", "--query_scale", "--params-file", "--seal_mode", "--seal_key_path", "--seal_key_stdin",
        "--kms_key_id", "--to", "--new_seal_key_path", "--new_seal_key_stdin", "--aad", "--key_store",
        "--region_name", "--bucket_name", "--secret_prefix", "--iterations", "--warmup", "--sed", "none",
        "--legacy_metadata_key", "--legacy_unauthenticated_ctr",
    })
    void args(byte[] input) throws IOException {
        String text = new String(input, StandardCharsets.UTF_8);
        int blank = text.indexOf("\n\n");
        String argText = blank < 0 ? text : text.substring(0, blank);
        byte[] stdin = blank < 0 ? new byte[0] : text.substring(blank + 2).getBytes(StandardCharsets.UTF_8);
        Path sandbox = Files.createTempDirectory("evk-fuzz-cli");
        try {
            List<String> args = new ArrayList<>();
            args.add("--key_path");
            args.add(sandbox.resolve("keys").toString());
            if (!argText.isEmpty()) {
                for (String a : argText.split("\n", 24)) {
                    args.add(sanitize(a, args.get(args.size() - 1), sandbox));
                }
            }
            if (args.stream().noneMatch(SUBCOMMANDS::contains)) {
                // key generation: MM only (seconds per input for RMP would starve the fuzzer); a
                // fuzzed --eval_mode then is a usage error of its own ("specified only once"). Two
                // words, not --eval_mode=mm, so that plain command lines take the CLI's quick parser.
                args.add(0, "mm");
                args.add(0, "--eval_mode");
            }
            check(args.toArray(String[]::new), stdin, sandbox.toString());
        } finally {
            deleteTree(sandbox);
        }
    }

    /** The properties of one run; values under {@code ownPaths} (the harness's sandbox) may be echoed. */
    static void check(String[] args, byte[] stdin, String ownPaths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, new ByteArrayInputStream(stdin), o, e);
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        String what = " for args " + List.of(args) + "; stderr: " + stderr;
        if (code < 0 || code > 7) {
            throw new AssertionError("exit code " + code + what);
        }
        // a trace's own lines, not the same words inside an echoed argument ("--d-Caused by:d")
        if (stderr.lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception in thread")
                || l.startsWith("Caused by:"))) {
            throw new AssertionError("stack trace on stderr" + what);
        }
        if (code == 2) {
            long lines = stderr.lines().filter(l -> l.startsWith("evkeygen: ")).count();
            if (lines != 1 || stderr.lines().count() != 1) {
                throw new AssertionError("a usage error must be exactly one 'evkeygen: ' line" + what);
            }
            if (CHECK_REDACTION) {
                for (int i = 0; i < args.length; i++) {
                    String a = args[i];
                    boolean inline = a.startsWith("--") && a.contains("=");
                    String value = inline ? a.substring(a.indexOf('=') + 1) : a;
                    String owner = inline ? a.substring(0, a.indexOf('=')) : i > 0 ? args[i - 1] : "";
                    if (secret(owner, value) && !value.startsWith(ownPaths)
                            && stderr.contains(value) && !ownWords(args, i, value, stdin)) {
                        throw new AssertionError("usage error echoes a secret argument value of " + value.length()
                                + " characters" + what);
                    }
                }
            }
        }
    }

    /**
     * The oracle for secrets (issue 20 item 12), simpler than the CLI's rule and implied by it: a
     * {@code --seed} value of 8 or more characters, or 32 or more hex digits anywhere but after an
     * option that names a thing ({@code --key_id}, a path).
     */
    private static boolean secret(String owner, String value) {
        if (value.startsWith("-")) {
            return false;
        }
        if (owner.equals("--seed")) {
            return value.length() >= 8;
        }
        boolean naming = owner.matches("--.*[-_](id|path|file|name|prefix|addr|mount|namespace|project)");
        return !naming && value.matches("[0-9a-fA-F]{32,}");
    }

    /**
     * Whether stderr holds {@code value} in the tool's own words (an argument "evkeygen: Unknown o"
     * matches the start of "evkeygen: Unknown options: ..."), not as an echo: the same command with
     * that argument's value blanked out to as many 'x' still prints it.
     */
    private static boolean ownWords(String[] args, int index, String value, byte[] stdin) {
        String[] blanked = args.clone();
        blanked[index] = args[index].substring(0, args[index].length() - value.length()) + "x".repeat(value.length());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(OutputStream.nullOutputStream());
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Main.run(blanked, new ByteArrayInputStream(stdin), o, e);
        }
        return err.toString(StandardCharsets.UTF_8).contains(value);
    }

    private static String sanitize(String a, String previous, Path sandbox) {
        int eq = a.indexOf('=');
        if (a.startsWith("--") && eq > 0) { // --name=value
            String name = a.substring(0, eq);
            String value = sanitize(a.substring(eq + 1), name, sandbox);
            return name.startsWith("--key_path") || name.startsWith("--key-path") ? "--key_id=" + value
                    : name + "=" + value;
        }
        switch (a.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "bench", "store", "upload" -> { return "info"; }
            case "aws", "aws-kms" -> { return "local"; }
            case "flat" -> { return "mm"; }
            default -> { }
        }
        if ("--threads".equals(previous)) {
            try {
                return Integer.parseInt(a.trim()) > 4 ? "4" : a;
            } catch (NumberFormatException e) {
                // not a number: sandboxed like any other value below (a path stays in the sandbox)
            }
        }
        if (a.contains("/") || a.contains("..") || a.startsWith("@")) { // @file: picocli's argument files
            return sandbox.resolve("p" + Integer.toHexString(a.hashCode())).toString();
        }
        if (a.startsWith("--key_path") || a.startsWith("--key-path")) { // picocli takes it once: ours
            return "--key_id";
        }
        return a;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
