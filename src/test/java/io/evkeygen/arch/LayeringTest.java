package io.evkeygen.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/ARCHITECTURE.md, checked on the compiled classes: no package cycles, and
 * every arrow points down (cli -> integrations -> SDK -> the internal levels -> spi/keyset/params/secret).
 */
class LayeringTest {
    /**
     * The internal levels of docs/ARCHITECTURE.md, bottom first: a package uses only packages of its
     * own level or below, so a new upward import fails the build.
     */
    static final List<List<String>> INTERNAL_LEVELS = List.of(
            List.of("stream", "layout", "math", "keydir", "score"),
            List.of("envelope", "random", "nativecore"),
            List.of("seal", "engine"),
            List.of("verify"),
            List.of("ops"));
    /**
     * What any internal package may use besides the internal levels and the bottom layer
     * ({@code com.sun.nio.file}: the JDK's {@code ExtendedOpenOption.DIRECT}, module jdk.unsupported).
     */
    static final String[] LIBRARIES = {"java..", "javax.crypto..", "com.fasterxml.jackson..", "com.sun.jna..",
        "com.sun.nio.file.."};

    /** The exported API: what the CLI and the integrations may use. */
    static final String[] API = {"io.evkeygen", "io.evkeygen.error..", "io.evkeygen.keyset..", "io.evkeygen.params..",
        "io.evkeygen.secret..", "io.evkeygen.spi.."};
    static final String[] INTEGRATIONS = {"io.evkeygen.aws..", "io.evkeygen.server..", "io.evkeygen.kms..", "io.evkeygen.gcp..",
        "io.evkeygen.vault.."};
    static final String[] BOTTOM = {"io.evkeygen.error..", "io.evkeygen.keyset..", "io.evkeygen.params..", "io.evkeygen.secret..",
        "io.evkeygen.spi.."};

    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = MainClasses.get();
    }

    @Test
    void noPackageCycles() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                return SliceIdentifier.of(c.getPackageName());
            }

            @Override
            public String getDescription() {
                return "one slice per package";
            }
        }).should().beFreeOfCycles().check(main);
    }

    @Test
    void cliUsesOnlyTheExportedApi() {
        noClasses().that().resideInAPackage("io.evkeygen.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.evkeygen.internal..")
                .check(main);
    }

    @Test
    void integrationsUseOnlyTheApiAndSpi() {
        noClasses().that().resideInAnyPackage(INTEGRATIONS)
                .should().dependOnClassesThat().resideInAnyPackage("io.evkeygen.internal..", "io.evkeygen.cli..")
                .check(main);
    }

    @Test
    void internalsNeverReachUp() {
        noClasses().that().resideInAPackage("io.evkeygen.internal..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(INTEGRATIONS,
                        "io.evkeygen.cli..", "io.evkeygen"))
                .check(main);
    }

    @Test
    void eachInternalPackageUsesOnlyItsLevelAndTheLevelsBelow() {
        for (int level = 0; level < INTERNAL_LEVELS.size(); level++) {
            String[] allowed = concat(concat(BOTTOM, LIBRARIES), internal(INTERNAL_LEVELS.subList(0, level + 1)));
            classes().that().resideInAnyPackage(internal(INTERNAL_LEVELS.subList(level, level + 1)))
                    .should().onlyDependOnClassesThat().resideInAnyPackage(allowed)
                    .check(main);
        }
    }

    @Test
    void everyInternalPackageHasALevel() {
        classes().that().resideInAPackage("io.evkeygen.internal..")
                .should().resideInAnyPackage(internal(INTERNAL_LEVELS))
                .check(main);
    }

    @Test
    void mathAndRandomImportNothingAboveThem() {
        classes().that().resideInAnyPackage("io.evkeygen.internal.math..", "io.evkeygen.internal.random..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(concat(BOTTOM,
                        "io.evkeygen.internal.math..", "io.evkeygen.internal.random..", "java..", "javax.crypto.."))
                .check(main);
    }

    @Test
    void theBottomLayerDependsOnlyOnItself() {
        classes().that().resideInAnyPackage(BOTTOM)
                .should().onlyDependOnClassesThat().resideInAnyPackage(concat(BOTTOM, "java..",
                        "com.fasterxml.jackson.."))
                .check(main);
    }

    /**
     * The SPI a third-party store implements is interfaces and value types; the remote-store template
     * and its helpers ({@code spi.remote}) sit on top of it, never under it.
     */
    @Test
    void theSpiKnowsNothingOfTheRemoteTemplate() {
        noClasses().that().resideInAPackage("io.evkeygen.spi")
                .should().dependOnClassesThat().resideInAPackage("io.evkeygen.spi.remote..")
                .check(main);
    }

    /**
     * The KMS server and its client share only the wire ({@code kms.internal}): the server is built on
     * the SDK, never on a client of itself, and the client carries no server code.
     */
    @Test
    void theKmsServerAndClientShareOnlyTheWire() {
        noClasses().that().resideInAPackage("io.evkeygen.kms.server..")
                .should().dependOnClassesThat().resideInAPackage("io.evkeygen.kms")
                .check(main);
        noClasses().that().resideInAPackage("io.evkeygen.kms")
                .should().dependOnClassesThat().resideInAPackage("io.evkeygen.kms.server..")
                .check(main);
    }

    @Test
    void theSdkUsesNoIntegrationOrCli() {
        noClasses().that().resideInAnyPackage(API)
                .should().dependOnClassesThat().resideInAnyPackage(concat(INTEGRATIONS, "io.evkeygen.cli.."))
                .check(main);
    }

    /** {@code io.evkeygen.internal.<name>..} for every package of {@code levels}. */
    private static String[] internal(List<List<String>> levels) {
        return levels.stream().flatMap(List::stream).map(name -> "io.evkeygen.internal." + name + "..")
                .toArray(String[]::new);
    }

    private static String[] concat(String[] a, String... more) {
        String[] out = Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
