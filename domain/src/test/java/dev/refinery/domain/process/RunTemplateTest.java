package dev.refinery.domain.process;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.refinery.domain.process.ProcessJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class RunTemplateTest {
    private final JsonNode document = RunTemplate.runDocument(json("{'user': {'name': 'Ada', 'age': null}}"),
            outputs());

    private static Map<String, JsonNode> outputs() {
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        outputs.put("enrich", json("{'score': 7, 'tags': ['a', 'b']}"));
        return outputs;
    }

    @Test
    void theRunDocumentHoldsInputAndStepOutputs() {
        assertEquals(json("{'input': {'user': {'name': 'Ada', 'age': null}}, "
                + "'steps': {'enrich': {'output': {'score': 7, 'tags': ['a', 'b']}}}}"), document);
    }

    @Test
    void fromObjectsAreReplacedEverywhereAndTheRestIsLiteral() {
        JsonNode template = json("""
                {'who': {'$from': '/input/user/name'}, 'tag': {'$from': '/steps/enrich/output/tags/1'},
                 'list': [1, {'$from': '/steps/enrich/output/score'}], 'age': {'$from': '/input/user/age'},
                 'fixed': 'text'}""");

        RunTemplate.Evaluation e = RunTemplate.evaluate(template, document, RunLimits.MIB);

        assertEquals(json("{'who': 'Ada', 'tag': 'b', 'list': [1, 7], 'age': null, 'fixed': 'text'}"),
                assertInstanceOf(RunTemplate.Evaluation.Value.class, e).value());
    }

    @Test
    void aWholeTemplateCanBeOneFrom() {
        assertEquals(new RunTemplate.Evaluation.Value(json("{'name': 'Ada', 'age': null}")),
                RunTemplate.evaluate(json("{'$from': '/input/user'}"), document, RunLimits.MIB));
    }

    @Test
    void aMissingPointerIsAClearError() {
        RunTemplate.Evaluation e = RunTemplate.evaluate(json("{'x': [{'$from': '/steps/score/output'}]}"), document, RunLimits.MIB);

        RunTemplate.Evaluation.Missing missing = assertInstanceOf(RunTemplate.Evaluation.Missing.class, e);
        assertEquals("/steps/score/output", missing.pointer());
        assertEquals("/x/0", missing.at());
        assertEquals("$from \"/steps/score/output\" at /x/0 points at nothing in the run document", missing.message());
    }

    @Test
    void aFromRepeatedPastTheLimitStopsThereInsteadOfCopyingOnAndOn() {
        // 100 000 copies of a 20 kB input would be 2 GB; the evaluation stops after about a MiB of them
        JsonNode big = RunTemplate.runDocument(json("{'blob': '" + "x".repeat(20_000) + "'}"), Map.of());
        com.fasterxml.jackson.databind.node.ArrayNode template = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 100_000; i++) template.addObject().put("$from", "/input/blob");

        RunTemplate.Evaluation e = RunTemplate.evaluate(template, big, RunLimits.MIB);

        assertEquals(new RunTemplate.Evaluation.TooLarge(RunLimits.MIB), e);
        assertEquals("its value would be larger than 1048576 bytes", ((RunTemplate.Evaluation.TooLarge) e).message());
    }

    @Test
    void aValueUpToTheLimitIsEvaluated() {
        JsonNode doc = RunTemplate.runDocument(json("{'s': '" + "y".repeat(98) + "'}"), Map.of());

        assertEquals(new RunTemplate.Evaluation.Value(json("['" + "y".repeat(98) + "']")),
                RunTemplate.evaluate(json("[{'$from': '/input/s'}]"), doc, 102));
        assertInstanceOf(RunTemplate.Evaluation.TooLarge.class, RunTemplate.evaluate(json("[{'$from': '/input/s'}]"), doc, 101));
    }
}
