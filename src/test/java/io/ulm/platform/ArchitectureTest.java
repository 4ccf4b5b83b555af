package io.ulm.platform;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Keeps the layout honest: one-way flow between capabilities, and plain-Java domain logic. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ulm");

    /** The lifecycle rules themselves: testable without Quarkus, Axon or a database. */
    private static final Set<String> DOMAIN = Set.of("Stage", "ActivityKind", "LogEntry", "Cursor", "Transition",
            "LifecycleHistory", "StageEvaluator", "LifecycleRules", "LifecycleRulesLoader");

    @Test
    void messagesFlowOneWayFromIngestThroughLifecycleToProjections() {
        noClasses().that().resideInAPackage("io.ulm.lifecycle..").should().dependOnClassesThat()
                .resideInAnyPackage("io.ulm.ingest..", "io.ulm.projection..").check(CLASSES);
        noClasses().that().resideInAPackage("io.ulm.projection..").should().dependOnClassesThat()
                .resideInAnyPackage("io.ulm.ingest..").check(CLASSES);
        noClasses().that().resideInAPackage("io.ulm.ingest..").should().dependOnClassesThat()
                .resideInAnyPackage("io.ulm.projection..").check(CLASSES);
    }

    @Test
    void stageRulesArePlainJava() {
        noClasses().that().resideInAPackage("io.ulm.lifecycle")
                .and().haveSimpleNameStartingWith("").and(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are the stage-rule domain", c -> DOMAIN.contains(c.getSimpleName()) || DOMAIN.contains(c.getSimpleName().split("\\$")[0])))
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta..", "org.axonframework..",
                        "java.sql..", "javax.sql..", "io.vertx..", "io.smallrye..")
                .check(CLASSES);
    }
}
