package dev.refinery.domain.process;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.refinery.domain.process.ProcessJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuiltinsTest {

    private static CapabilityResult run(String function, String input) {
        return Builtins.apply(function, json(input), RunLimits.MIB);
    }

    private static CapabilityResult.Failed failed(String function, String input) {
        return assertInstanceOf(CapabilityResult.Failed.class, run(function, input));
    }

    @Test
    void echoAnswersItsInput() {
        assertEquals(new CapabilityResult.Succeeded(json("{'a': [1, null]}")), run("echo", "{'a': [1, null]}"));
    }

    @Test
    void mergeAppliesMergePatchesInOrder() {
        assertEquals(new CapabilityResult.Succeeded(json("{'a': 1, 'b': {'c': 3, 'd': 4}, 'e': 5}")),
                run("merge", "{'objects': [{'a': 1, 'b': {'c': 2, 'x': 0}}, {'b': {'c': 3, 'x': null, 'd': 4}}, {'e': 5}]}"));
        assertEquals(new CapabilityResult.Succeeded(json("[1]")), run("merge", "{'objects': [{'a': 1}, [1]]}"));
        assertFalse(failed("merge", "{'objects': 1}").retryable());
    }

    @Test
    void mergePatchFollowsTheRfcExample() {
        assertEquals(json("{'title': 'Hello!', 'author': {'givenName': 'John'}, 'tags': ['example'], 'content': 'x', "
                        + "'phoneNumber': '+01-123-456-7890'}"),
                MergePatch.apply(json("{'title': 'Goodbye!', 'author': {'givenName': 'John', 'familyName': 'Doe'}, "
                                + "'tags': ['example', 'sample'], 'content': 'x'}"),
                        json("{'title': 'Hello!', 'phoneNumber': '+01-123-456-7890', 'author': {'familyName': null}, "
                                + "'tags': ['example']}")));
    }

    @Test
    void pickTakesValuesByPointer() {
        assertEquals(new CapabilityResult.Succeeded(json("{'name': 'Ada', 'first': 1}")),
                run("pick", "{'from': {'a': {'b': 'Ada'}, 'l': [1, 2]}, 'pointers': {'name': '/a/b', 'first': '/l/0'}}"));
    }

    @Test
    void pickOfAMissingPointerFailsForGood() {
        CapabilityResult.Failed f = failed("pick", "{'from': {}, 'pointers': {'name': '/a/b'}}");

        assertFalse(f.retryable());
        assertTrue(f.message().contains("/a/b"), f.message());
    }

    @Test
    void templateInsertsStringsRawAndOtherValuesAsJson() {
        assertEquals(new CapabilityResult.Succeeded(json("{'text': 'Hi Ada, you are 36 {\"x\":[1]} null'}")),
                run("template", "{'template': 'Hi {{/name}}, you are {{ /age }} {{/o}} {{/n}}', "
                        + "'from': {'name': 'Ada', 'age': 36, 'o': {'x': [1]}, 'n': null}}"));
        assertEquals(new CapabilityResult.Succeeded(json("{'text': 'plain'}")),
                run("template", "{'template': 'plain', 'from': {}}"));
    }

    @Test
    void templateFailsOnMissingValuesAndBrokenPlaceholders() {
        assertFalse(failed("template", "{'template': 'Hi {{/who}}', 'from': {}}").retryable());
        assertFalse(failed("template", "{'template': 'Hi {{/who', 'from': {'who': 1}}").retryable());
        assertFalse(failed("template", "{'template': 'Hi {{who}}', 'from': {'who': 1}}").retryable());
    }

    @Test
    void failFailsAsAsked() {
        assertEquals(new CapabilityResult.Failed("boom", false), run("fail", "{'message': 'boom'}"));
        assertEquals(new CapabilityResult.Failed("again", true), run("fail", "{'message': 'again', 'retryable': true}"));
        assertEquals(new CapabilityResult.Failed("failed on purpose", false), run("fail", "null"));
    }

    @Test
    void sleepAndValidateInputsAreRead() {
        assertEquals(Optional.of(250L), Builtins.sleepMillis(json("{'ms': 250}")));
        assertEquals(Optional.empty(), Builtins.sleepMillis(json("{'ms': -1}")));
        assertEquals(Optional.of(new Builtins.ValidateRequest("aug:/schemas/x", json("{'a': 1}"))),
                Builtins.validateRequest(json("{'schema': 'aug:/schemas/x', 'value': {'a': 1}}")));
        assertEquals(Optional.empty(), Builtins.validateRequest(json("{'value': 1}")));
    }

    @Test
    void aTemplateThatWouldGrowPastTheOutputLimitFailsForGoodWithoutBuildingIt() {
        // one placeholder read 1 000 000 times from a 1 kB value: a GB of text, refused after a MiB
        String input = "{'template': '" + "{{/a}}".repeat(1_000_000) + "', 'from': {'a': '" + "z".repeat(1_000) + "'}}";

        CapabilityResult.Failed f = failed("template", input);

        assertFalse(f.retryable());
        assertEquals("template: the output would be larger than 1048576 bytes", f.message());
    }

    @Test
    void aPickThatRepeatsAValuePastTheOutputLimitFailsForGood() {
        StringBuilder pointers = new StringBuilder();
        for (int i = 0; i < 10_000; i++) pointers.append(i == 0 ? "" : ", ").append("'p").append(i).append("': '/a'");
        String input = "{'from': {'a': '" + "z".repeat(1_000) + "'}, 'pointers': {" + pointers + "}}";

        assertEquals("pick: the output would be larger than 1048576 bytes", failed("pick", input).message());
    }

    @Test
    void anOutputAtTheLimitPasses() {
        assertEquals(new CapabilityResult.Succeeded(json("{'text': 'abc'}")),
                Builtins.apply("template", json("{'template': '{{/a}}', 'from': {'a': 'abc'}}"), 14));
        assertFalse(Builtins.apply("template", json("{'template': '{{/a}}', 'from': {'a': 'abc'}}"), 13)
                instanceof CapabilityResult.Succeeded);
    }
}
