package dev.refinery.bootstrap;

import dev.refinery.adapters.postgres.PostgresHistoryCheck;
import dev.refinery.adapters.postgres.PostgresHistoryCheck.Finding;
import dev.refinery.adapters.postgres.PostgresHistoryCheck.Summary;
import dev.refinery.domain.log.NoteVerifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code refinery verify}: recomputes the ledger's digests, leaves, tree and derived tables, and checks the signatures. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check the ledger against its content and its signed log: every vibe's digest, every log leaf,",
                "the tree against each checkpoint and its signature, and schema_refs, vibe_refs and visibility",
                "against the vibes. Prints each mismatch by ref; exits 1 when there is one."})
final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Main.ConfigOptions config = new Main.ConfigOptions();

    @Option(names = "--since", paramLabel = "SIZE",
            description = "Start from the checkpoint of this tree size (its signature and root are checked, then trusted).")
    long since;

    @Option(names = "--key", paramLabel = "VERIFIER",
            description = "The log's note verifier key (GET /v1/log/key) to check signatures with; "
                    + "default: the public half of the configured signing key.")
    String key;

    @Override
    public Integer call() {
        if (since < 0) throw new IllegalArgumentException("--since is a tree size, 0 or more");
        Settings settings = config.settings(Map.of());
        NoteVerifier verifier = key != null
                ? NoteVerifier.parse(key).orElseThrow(() -> new IllegalArgumentException(
                        "--key is not a note verifier key (name+keyid+base64), as GET /v1/log/key answers"))
                : signingKey(settings);
        PrintStream out = System.out;
        boolean terminal = System.console() != null;
        Summary summary;
        try (Database database = Database.open(settings)) {
            summary = new PostgresHistoryCheck(database.service(), verifier).run(since, (phase, done, total) -> {
                if (terminal) System.err.print("\r" + phase + " " + done + (total >= 0 ? "/" + total : "") + "    ");
            });
        }
        if (terminal) System.err.println();
        for (Finding f : summary.findings()) out.println("MISMATCH " + f);
        out.println("checked " + summary.vibes() + " vibe(s), " + summary.leaves() + " leaf(s), " + summary.checkpoints()
                + " checkpoint(s) with key " + verifier + ": " + (summary.findings().isEmpty()
                ? "no mismatch" : summary.findings().size() + " mismatch(es)"));
        return summary.findings().isEmpty() ? 0 : 1;
    }

    private static NoteVerifier signingKey(Settings settings) {
        if (!Files.exists(settings.logSigningKey())) {
            throw new IllegalArgumentException("no log signing key at " + settings.logSigningKey()
                    + ": pass --key with the log's verifier key (GET /v1/log/key)");
        }
        return LogSigningKey.read(settings.logSigningKey(), settings.logOrigin()).verifier();
    }
}
