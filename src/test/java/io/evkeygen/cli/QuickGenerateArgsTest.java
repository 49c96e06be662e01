package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The quick parser reads what it accepts exactly as picocli does, and leaves the rest to picocli. */
class QuickGenerateArgsTest {
    @Test
    void theEverydayCommandLinesTakeTheQuickPath() {
        assertQuickEqualsPicocli();
        assertQuickEqualsPicocli("--key_path", "/tmp/k", "--key_id", "demo", "--dim", "1024");
        assertQuickEqualsPicocli("--key-path", "k", "--key-id", "a", "--dim", "32", "64", "--eval_mode", "mm");
        assertQuickEqualsPicocli("--dim_list", "32", "--dim", "64", "128", "--preset", "ip1", "--backend", "java",
                "--threads", "2", "--metadata_encryption", "false", "--seed", "00ff", "--verbose", "--debug");
        assertQuickEqualsPicocli("--seal_mode", "aes", "--seal_key_path", "kek.bin", "--seed-file", "s.bin",
                "--eval-mode", "FLAT", "--metadata-encryption", "true");
        assertQuickEqualsPicocli("--seal-key-stdin", "--seal-mode", "aes", "--key_id", "");
        QuickGenerateArgs q = QuickGenerateArgs.parse(new String[] {"--dim", "32", "4096", "--threads", "0"}, Main.SUBCOMMANDS);
        assertEquals(List.of(32, 4096), q.options.dims);
        assertEquals(0, q.options.threads);
        assertEquals(Path.of("./keys"), q.options.keyPath);
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        String[][] picocliOnly = {
            {"--help"}, {"-h"}, {"--version"}, {"-V"}, {"verify", "x"}, {"help"}, {"--key_id", "verify"},
            {"--key_id=a"}, {"--key_id", "a", "--key_id", "b"}, {"--debug", "--debug"}, {"--dim"}, {"--dim", "-32"},
            {"--dim", "032"}, {"--dim", "+32"}, {"--dim", "0x20"}, {"--dim", "4294967296"}, {"--dim", "32", "x"},
            {"--threads", "-1"}, {"--threads"}, {"--key_id", "--dim"}, {"--key_id", "-"}, {"@args.txt"},
            {"--key_id", "@a"}, {"--metadata_encryption", "TRUE"}, {"--metadata_encryption", "yes"},
            {"--key_path", "a\0b"}, {"--q", "1"}, {"--preset", "custom", "--p", "2"}, {"--key_store", "aws"},
            {"--bucket_name", "b"}, {"--kms_key_id", "k"}, {"--region_name", "r"}, {"--", "--dim"}, {"x"},
            {"--seal_key_stdin", "true"}, {"--verbose=true"},
        };
        for (String[] args : picocliOnly) {
            assertNull(QuickGenerateArgs.parse(args, Main.SUBCOMMANDS), String.join(" ", args));
        }
    }

    /** A lone --version is answered without picocli, with the line picocli prints for it. */
    @Test
    void aLoneVersionFlagPrintsWhatPicocliPrints() {
        java.io.StringWriter viaPicocli = new java.io.StringWriter();
        CommandLine cl = new CommandLine(new RootCommand(false, new ByteArrayInputStream(new byte[0])));
        cl.printVersionHelp(new java.io.PrintWriter(viaPicocli, true));
        for (String flag : new String[] {"--version", "-V"}) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int code = Main.run(new String[] {flag}, new PrintStream(out, true),
                    new PrintStream(OutputStream.nullOutputStream()));
            assertEquals(0, code);
            assertEquals(viaPicocli.toString(), out.toString(), flag);
        }
    }

    /**
     * Random command lines from both parsers' vocabulary (flags, good and bad values, repeats,
     * subcommand names): whenever the quick parser accepts one, picocli accepts it too and sets every
     * field of every option class to the same value.
     */
    @Test
    void onRandomCommandLinesBothParsersAgreeWheneverTheQuickOneAccepts() {
        String[] flags = {"--dim", "--dim_list", "--dim-list", "--key_path", "--key-path", "--key_id", "--key-id",
            "--eval_mode", "--eval-mode", "--metadata_encryption", "--metadata-encryption", "--seed", "--seed-file",
            "--seed_file", "--backend", "--threads", "--preset", "--seal_mode", "--seal-mode", "--seal_key_path",
            "--seal-key-path", "--seal_key_stdin", "--seal-key-stdin", "--debug", "--verbose", "--q", "--key_store",
            "--help", "--dim=32"};
        String[] values = {"32", "64", "1024", "0", "007", "-1", "+5", "2147483647", "2147483648", "x", "", " ", "true",
            "false", "True", "rmp", "mm", "ip1", "./k", "/tmp/a b", "-", "--", "verify", "@f", "1e3", "a=b"};
        Random random = new Random(20261202);
        int accepted = 0;
        for (int run = 0; run < 4000; run++) {
            List<String> args = new ArrayList<>();
            int n = random.nextInt(9);
            for (int i = 0; i < n; i++) {
                args.add(random.nextInt(3) == 0 ? values[random.nextInt(values.length)] : flags[random.nextInt(flags.length)]);
                if (random.nextBoolean()) {
                    args.add(values[random.nextInt(values.length)]);
                }
            }
            if (QuickGenerateArgs.parse(args.toArray(String[]::new), Main.SUBCOMMANDS) != null) {
                accepted++;
                assertQuickEqualsPicocli(args.toArray(String[]::new));
            }
        }
        assertTrue(accepted > 200, "only " + accepted + " random command lines took the quick path");
    }

    private static void assertQuickEqualsPicocli(String... args) {
        QuickGenerateArgs quick = QuickGenerateArgs.parse(args, Main.SUBCOMMANDS);
        assertNotNull(quick, "the quick path declined: " + String.join(" ", args));
        ByteArrayInputStream stdin = new ByteArrayInputStream(new byte[0]);
        RootCommand root = new RootCommand(false, stdin);
        CommandLine cl = Main.commandLine(args, root, stdin, new PrintStream(OutputStream.nullOutputStream()));
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            fail("picocli rejects what the quick path accepted, " + List.of(args) + ": " + e.getMessage());
        }
        String where = List.of(args).toString();
        assertSameFields(root.options, quick.options, where);
        assertSameFields(root.store, quick.store, where);
        assertSameFields(root.seal, quick.seal, where);
        assertEquals(root.debug, quick.debug, where + " --debug");
        assertEquals(root.verbose, quick.verbose, where + " --verbose");
    }

    /** Field by field, into the option classes they hold (mixins). */
    private static void assertSameFields(Object expected, Object actual, String where) {
        for (Field f : expected.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || f.getType() == CommandSpec.class) {
                continue; // picocli's model of the command, not an option the user gave
            }
            f.setAccessible(true);
            try {
                Object e = f.get(expected);
                Object a = f.get(actual);
                if (e != null && e.getClass().getPackageName().equals(QuickGenerateArgsTest.class.getPackageName())) {
                    assertSameFields(e, Objects.requireNonNull(a, where + " " + f.getName()), where);
                } else {
                    assertEquals(e, a, where + ": field " + expected.getClass().getSimpleName() + "." + f.getName());
                }
            } catch (IllegalAccessException ex) {
                throw new AssertionError(ex);
            }
        }
    }
}
