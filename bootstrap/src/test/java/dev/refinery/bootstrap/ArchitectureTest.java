package dev.refinery.bootstrap;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.refinery.domain.archfixture.DomainClassUsingJdbc;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hexagon, enforced: the domain is pure, the application knows no adapter, and adapters
 * don't know each other. Only production classes are checked.
 */
@AnalyzeClasses(packages = "dev.refinery",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.DoNotIncludeTestJars.class})
class ArchitectureTest {

    /** Other modules' test-jars (contract tests, API tests) are on this classpath too: they are not production. */
    static final class DoNotIncludeTestJars implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("-tests.jar");
        }
    }

    /** The JDK packages pure code may use: no I/O to the outside world, no SQL, no network. */
    private static final String[] PURE_JDK = {
            "java.lang..", "java.util..", "java.time..", "java.math..", "java.security..", "java.nio.charset..",
            "java.io.."};

    private static final String[] JACKSON_TREE = {
            "com.fasterxml.jackson.databind", "com.fasterxml.jackson.databind.node..", "com.fasterxml.jackson.core.."};

    static final ArchRule DOMAIN_IS_PURE = classes().that().resideInAPackage("dev.refinery.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(concat(PURE_JDK, JACKSON_TREE,
                    new String[]{"dev.refinery.domain..", "org.erdtman.jcs.."}))
            .because("the domain is JDK, Jackson's tree model and the RFC 8785 canonicalizer only (DESIGN.md §2)");

    static final ArchRule DOMAIN_HAS_NO_SQL_NETWORK_OR_FILES = noClasses().that().resideInAPackage("dev.refinery.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "java.net..",
                    "java.nio.file..", "io.helidon..", "io.temporal..", "org.flywaydb..", "org.postgresql..")
            .because("the domain does no I/O");

    @ArchTest
    static final ArchRule domainIsPure = DOMAIN_IS_PURE;

    @ArchTest
    static final ArchRule domainHasNoSqlNetworkOrFiles = DOMAIN_HAS_NO_SQL_NETWORK_OR_FILES;

    @ArchTest
    static final ArchRule applicationDependsOnTheDomainAndItsLibrariesOnly = classes()
            .that().resideInAPackage("dev.refinery.application..")
            .should().onlyDependOnClassesThat().resideInAnyPackage(concat(PURE_JDK, JACKSON_TREE, new String[]{
                    "java.util.concurrent..", "dev.refinery.domain..", "dev.refinery.application..",
                    "com.networknt.schema..", "com.google.re2j..", "org.slf4j.."}))
            .because("use cases and ports know no adapter and no framework (DESIGN.md §2)");

    @ArchTest
    static final ArchRule adaptersDoNotKnowEachOther = slices()
            .matching("dev.refinery.adapters.(*)..")
            .should().notDependOnEachOther()
            .because("adapters are replaceable; only bootstrap knows them all");

    @ArchTest
    static final ArchRule nothingButBootstrapDependsOnBootstrap = noClasses()
            .that().resideOutsideOfPackage("dev.refinery.bootstrap..")
            .should().dependOnClassesThat().resideInAPackage("dev.refinery.bootstrap..");

    @ArchTest
    static final ArchRule theCoreDependsOnNoAdapter = noClasses()
            .that().resideInAnyPackage("dev.refinery.domain..", "dev.refinery.application..")
            .should().dependOnClassesThat().resideInAPackage("dev.refinery.adapters..");

    @Test
    void aDomainClassThatUsesJdbcBreaksTheRules() {
        JavaClasses offender = new ClassFileImporter().importClasses(DomainClassUsingJdbc.class);

        EvaluationResult pure = DOMAIN_IS_PURE.evaluate(offender);
        EvaluationResult noSql = DOMAIN_HAS_NO_SQL_NETWORK_OR_FILES.evaluate(offender);

        assertTrue(pure.hasViolation(), "the allow-list must catch java.sql");
        assertTrue(noSql.hasViolation(), "the deny-list must catch java.sql");
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
