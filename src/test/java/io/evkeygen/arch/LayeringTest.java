package io.evkeygen.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/ARCHITECTURE.md, checked on the compiled classes: no package cycles, and
 * every arrow points down (cli -> integrations -> SDK -> internal.ops -> codec/seal/keydir/verify/
 * engine -> random/math -> spi/keyset/params/secret).
 */
class LayeringTest {
    /** The exported API: what the CLI and the integrations may use. */
    static final String[] API = {"io.evkeygen", "io.evkeygen.error..", "io.evkeygen.keyset..", "io.evkeygen.params..",
        "io.evkeygen.secret..", "io.evkeygen.spi.."};
    static final String[] INTEGRATIONS = {"io.evkeygen.aws..", "io.evkeygen.server..", "io.evkeygen.gcp..",
        "io.evkeygen.vault.."};
    static final String[] BOTTOM = {"io.evkeygen.error..", "io.evkeygen.keyset..", "io.evkeygen.params..", "io.evkeygen.secret..",
        "io.evkeygen.spi.."};

    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.evkeygen");
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

    @Test
    void theSdkUsesNoIntegrationOrCli() {
        noClasses().that().resideInAnyPackage(API)
                .should().dependOnClassesThat().resideInAnyPackage(concat(INTEGRATIONS, "io.evkeygen.cli.."))
                .check(main);
    }

    private static String[] concat(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
