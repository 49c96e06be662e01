package io.evkeygen.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Test scaffolding stays in test code (issue 21 item 6): the product never halts the JVM (the
 * reseal crash test does that from its own child's step listener), and no class of it is named for
 * a test.
 */
class TestScaffoldingTest {
    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = MainClasses.get();
    }

    @Test
    void theProductNeverHaltsTheJvm() {
        noClasses().should().callMethod(Runtime.class, "halt", int.class).check(main);
    }

    @Test
    void noProductClassIsNamedForATest() {
        noClasses().should().haveSimpleNameContaining("Test").check(main);
    }
}
