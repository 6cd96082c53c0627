package org.dsa110.contimg;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependency rules between the hub's packages: the domain (pipeline, science, stores, services) does not know about
 * HTTP; only {@code api} and the top-level wiring ({@code org.dsa110.contimg}) may use {@code api}. The error model
 * and the JSON mapper the domain needs live in {@code core}, which depends on nothing of ours.
 */
class ArchitectureTest {
    private static JavaClasses hub;

    @BeforeAll
    static void importClasses() {
        hub = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.dsa110.contimg");
    }

    @Test
    void domainPackagesDoNotDependOnTheRestLayer() {
        noClasses().that().resideInAPackage("org.dsa110.contimg.(*)..")
                .and().resideOutsideOfPackage("org.dsa110.contimg.api..")
                .should().dependOnClassesThat().resideInAPackage("org.dsa110.contimg.api..")
                .check(hub);
    }

    @Test
    void coreDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("org.dsa110.contimg.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.dsa110.contimg.api..", "org.dsa110.contimg.pipeline..", "org.dsa110.contimg.store..",
                        "org.dsa110.contimg.ops..", "org.dsa110.contimg.products..", "org.dsa110.contimg.science..")
                .check(hub);
    }

    @Test
    void scienceIsPlainJava() {
        noClasses().that().resideInAPackage("org.dsa110.contimg.science..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "io.vertx..",
                        "org.dsa110.contimg.api..", "org.dsa110.contimg.store..", "org.dsa110.contimg.pipeline..")
                .check(hub);
    }
}
