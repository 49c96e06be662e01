package io.evkeygen.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md is a complete compilation unit (imports and a public
 * class) that compiles against the library and the integrations' libraries; the first command runs
 * the launcher the build makes.
 */
class ReadmeSnippetsTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("public (?:final )?class (\\w+)");

    @TempDir
    Path tmp;

    @TestFactory
    List<DynamicTest> readmeJavaBlocksCompile() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<DynamicTest> tests = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            String code = m.group(1);
            int line = readme.substring(0, m.start()).split("\n", -1).length;
            tests.add(DynamicTest.dynamicTest("README.md line " + line, () -> compile(code)));
        }
        assertTrue(tests.size() >= 3, "README.md has Java examples");
        return tests;
    }

    @Test
    void theFirstCommandRunsTheLauncherTheBuildMakes() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String first = readme.substring(readme.indexOf("```\n") + 4).lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("mvn -B -q package -DskipTests && target/evkeygen "), first);
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<copy file=\"${project.basedir}/src/main/launcher/evkeygen\" todir=\"${project.build.directory}\""),
                "the package phase copies src/main/launcher/evkeygen to target/");
        assertTrue(Files.isExecutable(Path.of("src/main/launcher/evkeygen")), "the launcher is executable");
    }

    private void compile(String code) throws Exception {
        Matcher c = CLASS.matcher(code);
        assertTrue(c.find(), "a complete compilation unit with a public class:\n" + code);
        Path dir = Files.createTempDirectory(tmp, "snippet");
        Path file = Files.writeString(dir.resolve(c.group(1) + ".java"), code);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        boolean ok = javac.getTask(out, null, null,
                List.of("-d", dir.toString(), "-cp", System.getProperty("java.class.path"), "-Xlint:none"),
                null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(file)).call();
        assertEquals("", ok ? "" : out.toString(), code);
    }

}
