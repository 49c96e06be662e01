package io.evkeygen.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import java.io.File;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user on the module path sees: module-info exports the API packages only, and a consumer
 * module compiles against the API but cannot import an internal class.
 */
class ModuleApiTest {
    /** The exported packages; an integration added later adds its entry point package here. */
    static final Set<String> API = Set.of("io.evkeygen", "io.evkeygen.error", "io.evkeygen.keyset",
            "io.evkeygen.params", "io.evkeygen.secret", "io.evkeygen.spi", "io.evkeygen.spi.remote", "io.evkeygen.aws", "io.evkeygen.gcp",
            "io.evkeygen.vault", "io.evkeygen.server", "io.evkeygen.kms", "io.evkeygen.kms.server");

    @TempDir
    Path tmp;

    static Path classes() throws Exception {
        return Path.of(KeyGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static ModuleDescriptor descriptor() throws Exception {
        return ModuleFinder.of(classes()).find("io.evkeygen").orElseThrow().descriptor();
    }

    @Test
    void exportsExactlyTheApiAndNoInternals() throws Exception {
        ModuleDescriptor d = descriptor();
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(API), exported);
        for (String p : d.packages()) {
            if (p.contains(".internal") || p.endsWith(".cli")) {
                assertFalse(exported.contains(p), p + " is exported");
            }
        }
        for (ModuleDescriptor.Opens o : d.opens()) {
            assertFalse(o.targets().isEmpty(), "no package is opened to everyone: " + o);
        }
    }

    @Test
    void optionalLibrariesAreStaticRequires() throws Exception {
        for (ModuleDescriptor.Requires r : descriptor().requires()) {
            boolean optional = r.name().startsWith("software.amazon") || r.name().startsWith("info.picocli")
                    || r.name().startsWith("io.grpc") || r.name().startsWith("com.google");
            if (optional) {
                assertTrue(r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC), r.name() + " must be static");
            }
        }
    }

    @Test
    void aConsumerModuleSeesTheApiButNotTheInternals() throws Exception {
        assertEquals("", compileConsumer("import io.evkeygen.KeyGenerator; import io.evkeygen.params.EvalMode;\n"
                + "class Use { Object g = KeyGenerator.builder().evalMode(EvalMode.MM); }"));
        String err = compileConsumer("import io.evkeygen.internal.layout.BinLayout;\n"
                + "class Use { Object h = BinLayout.HEADER_LENGTH; }");
        assertTrue(err.contains("is not visible") || err.contains("does not export"), err);
    }

    /** Compiles module {@code consumer} (requires io.evkeygen) with one class; returns javac's errors. */
    private String compileConsumer(String source) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src" + System.nanoTime()).resolve("consumer"));
        Files.writeString(src.resolve("module-info.java"), "module consumer { requires io.evkeygen; }");
        Files.createDirectories(src.resolve("use"));
        Files.writeString(src.resolve("use/Use.java"), "package use;\n" + source);
        List<String> modulePath = new ArrayList<>();
        modulePath.add(classes().toString());
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(e).getFileName().toString();
            if (name.startsWith("jackson-") || name.startsWith("jna-")) {
                modulePath.add(e);
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        var task = javac.getTask(out, null, null, List.of("-d", tmp.resolve("out" + System.nanoTime()).toString(),
                "--module-path", String.join(File.pathSeparator, modulePath)), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(
                        src.resolve("module-info.java"), src.resolve("use/Use.java")));
        boolean ok = task.call();
        return ok ? "" : out.toString();
    }
}
