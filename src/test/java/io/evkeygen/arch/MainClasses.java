package io.evkeygen.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The product's compiled classes, without the tests: imported once per JVM for every ArchUnit rule. */
final class MainClasses {
    private static JavaClasses classes;

    private MainClasses() {}

    static synchronized JavaClasses get() {
        if (classes == null) {
            classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.evkeygen");
        }
        return classes;
    }
}
