package dev.refinery.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code ./refinery} launcher hands every command of the {@code refinery} program to it, and lists it. */
class LauncherTest {

    @Test
    void everyCommandOfTheProgramIsDispatchedAndListedByTheLauncher() throws IOException {
        String script = Files.readString(Path.of("..", "refinery"));
        Matcher dispatch = Pattern.compile("(?m)^\\s*([a-z|-]+)\\) run_java ").matcher(script);
        assertTrue(dispatch.find(), "no line of the launcher hands commands to the program");
        Set<String> dispatched = Set.of(dispatch.group(1).split("\\|"));
        for (String command : Main.commandLine().getSubcommands().keySet()) {
            assertTrue(dispatched.contains(command), "./refinery does not hand '" + command + "' to the program");
            assertTrue(script.contains("#   ./refinery " + command), "./refinery help does not list '" + command + "'");
        }
    }
}
