package dev.refinery.domain.process;

import dev.refinery.domain.AugUri;
import dev.refinery.domain.Violation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.refinery.domain.process.ProcessJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessDefinitionTest {

    private static List<Violation> violations(String context) {
        return ProcessJson.violationsOf(ProcessDefinition.parse(json(context)));
    }

    private static boolean hasViolationAt(List<Violation> violations, String pointer) {
        return violations.stream().anyMatch(v -> v.pointer().equals(pointer));
    }

    @Test
    void parsesTheDesignExample() {
        ProcessDefinition p = ProcessDefinition.parse(json("""
                {'steps': [
                   {'name': 'enrich', 'capability': 'aug:/capabilities/enrich',
                    'input': {'user': {'$from': '/input/user'}}, 'compensate': 'aug:/capabilities/unenrich'},
                   {'name': 'score', 'capability': 'aug:/capabilities/score',
                    'input': {'profile': {'$from': '/steps/enrich/output'}}}],
                 'result': {'$from': '/steps/score/output'},
                 'resultSchema': {'type': 'object'},
                 'budgets': ['aug:/budgets/small']}""")).orElseThrow();

        assertEquals(List.of("enrich", "score"), p.stepNames());
        assertEquals(AugUri.parse("aug:/capabilities/enrich"), p.steps().get(0).capability());
        assertEquals(Optional.of(AugUri.parse("aug:/capabilities/unenrich")), p.steps().get(0).compensate());
        assertEquals(Optional.empty(), p.steps().get(1).compensate());
        assertEquals(json("{'type': 'object'}"), p.resultSchema().orElseThrow());
        assertEquals(List.of(AugUri.parse("aug:/budgets/small")), p.budgets());
        assertEquals(List.of(AugUri.parse("aug:/capabilities/enrich"), AugUri.parse("aug:/capabilities/unenrich"),
                AugUri.parse("aug:/capabilities/score")), p.capabilities());
    }

    @Test
    void aStepWithoutInputGetsTheWholeRunInput() {
        ProcessDefinition p = ProcessDefinition.parse(json(
                "{'steps': [{'name': 'a', 'capability': 'aug:/c'}], 'result': {'$from': '/steps/a/output'}}")).orElseThrow();

        assertEquals(json("{'$from': '/input'}"), p.steps().getFirst().input());
    }

    @Test
    void stepNamesAreUniqueAndWellFormed() {
        List<Violation> v = violations("""
                {'steps': [{'name': 'a', 'capability': 'aug:/c'}, {'name': 'a', 'capability': 'aug:/c'},
                           {'name': 'no/slash', 'capability': 'aug:/c'}, {'name': 'failed', 'capability': 'aug:/c'}],
                 'result': {}}""");

        assertTrue(hasViolationAt(v, "/steps/1/name"), v::toString);
        assertTrue(hasViolationAt(v, "/steps/2/name"), v::toString);
        assertTrue(hasViolationAt(v, "/steps/3/name"), v::toString);
    }

    @Test
    void capabilitiesAreAugUris() {
        List<Violation> v = violations("""
                {'steps': [{'name': 'a', 'capability': 'capabilities/x'}, {'name': 'b'},
                           {'name': 'c', 'capability': 'aug:/c', 'compensate': 'aug:'}],
                 'result': {}}""");

        assertTrue(hasViolationAt(v, "/steps/0/capability"), v::toString);
        assertTrue(hasViolationAt(v, "/steps/1/capability"), v::toString);
        assertTrue(hasViolationAt(v, "/steps/2/compensate"), v::toString);
    }

    @Test
    void aStepReadsOnlyTheInputAndEarlierSteps() {
        List<Violation> v = violations("""
                {'steps': [{'name': 'a', 'capability': 'aug:/c', 'input': {'x': {'$from': '/steps/b/output'}}},
                           {'name': 'b', 'capability': 'aug:/c', 'input': [{'$from': '/elsewhere'}]}],
                 'result': {'$from': '/steps/b/output'}}""");

        assertEquals(List.of("/steps/0/input/x/$from", "/steps/1/input/0/$from"),
                v.stream().map(Violation::pointer).toList());
        assertTrue(v.getFirst().message().contains("has not run"), v::toString);
    }

    @Test
    void aFromObjectHoldsOnlyAPointer() {
        List<Violation> v = violations("""
                {'steps': [{'name': 'a', 'capability': 'aug:/c', 'input': {'$from': '/input', 'extra': 1}},
                           {'name': 'b', 'capability': 'aug:/c', 'input': {'$from': 'input'}}],
                 'result': {'$from': 3}}""");

        assertEquals(List.of("/steps/0/input", "/steps/1/input/$from", "/result/$from"),
                v.stream().map(Violation::pointer).toList());
    }

    @Test
    void resultIsRequiredAndStepsAreNotEmpty() {
        List<Violation> v = violations("{'steps': []}");

        assertTrue(hasViolationAt(v, "/steps"), v::toString);
        assertTrue(hasViolationAt(v, "/result"), v::toString);
        assertTrue(hasViolationAt(violations("[]"), ""));
    }

    @Test
    void resultSchemaAndBudgetsAreChecked() {
        List<Violation> v = violations("""
                {'steps': [{'name': 'a', 'capability': 'aug:/c'}], 'result': 1, 'resultSchema': 'object',
                 'budgets': ['nope']}""");

        assertTrue(hasViolationAt(v, "/resultSchema"), v::toString);
        assertTrue(hasViolationAt(v, "/budgets/0"), v::toString);
    }
}
