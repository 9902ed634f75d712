package org.redtest.cli;

import org.junit.jupiter.api.Test;
import org.redtest.testing.CliRun;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** Issue 17: every command's --help is whole, has examples and names only files of this repository. */
class HelpTextTest {
    private static final Pattern REPO_FILE = Pattern.compile("\\b(?:configs|benchmarks)/[\\w.-]+(?![\\w.<-])"); // not placeholders such as paper-<tier>.yaml

    private static List<CommandLine> allCommands() {
        List<CommandLine> all = new ArrayList<>();
        collect(RedTestCli.newCommandLine(), all);
        return all;
    }

    private static void collect(CommandLine cl, List<CommandLine> into) {
        if (!(cl.getCommand() instanceof CommandLine.HelpCommand)) {
            into.add(cl);
        }
        cl.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    @Test
    void everyCommandHasAOneSentenceSummaryAndExamples() {
        for (CommandLine cl : allCommands()) {
            String name = cl.getCommandSpec().qualifiedName();
            CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
            String summary = usage.description()[0];
            assertTrue(summary.endsWith("."), name + ": the summary shown in the command list is a whole sentence: " + summary);
            assertTrue(usage.footerHeading().contains("Examples"), name);
            assertTrue(usage.footer().length > 0, name);
            for (String line : usage.footer()) {
                assertTrue(line.length() < 80, name + ": an example line that picocli would wrap: " + line);
                assertTrue(line.startsWith("  bin/" + name) || line.startsWith("      ") || name.equals("redtest"),
                        name + ": an example of another command: " + line);
            }
        }
    }

    @Test
    void helpNamesNoDocumentOutsideTheRepositoryAndOnlyFilesThatExist() {
        for (CommandLine cl : allCommands()) {
            String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            String name = cl.getCommandSpec().qualifiedName();
            assertFalse(help.matches("(?s).*\\bSPEC\\b.*"), name + " cites SPEC: " + help);
            assertFalse(help.matches("(?s).*(/work/|/home/|/root/).*"), name + " names a path outside the repository");
            Matcher m = REPO_FILE.matcher(help);
            while (m.find()) {
                assertTrue(Files.exists(Path.of(m.group())), name + " names " + m.group() + ", which the repository lacks");
            }
        }
    }

    @Test
    void redtestAloneAndBenchAlonePrintTheirUsage() {
        CliRun.Result r = run();
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("Usage: redtest "), r.out());
        assertTrue(r.out().contains("Examples:"), r.out());
        assertEquals("", r.err());
        CliRun.Result bench = run("bench");
        assertEquals(0, bench.exitCode(), bench.err());
        assertTrue(bench.out().contains("cpu-path"), bench.out());
    }

    @Test
    void usageErrorsCarryOnePrefix() {
        for (String[] args : new String[][]{{"train"}, {"train", "--model", "resnet8"}, {"prune", "--checkpoint", "x"},
                {"msrs", "--dataset", "cifar10"}, {"info"}, {"nonsense"}}) {
            CliRun.Result r = run(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("redtest: error: "), r.err());
            assertFalse(r.err().contains("Error:"), "picocli's own prefix is dropped: " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertEquals("Missing required argument(s): --dataset=NAME", ErrorLines.withoutOwnPrefix("Error: Missing required argument(s): --dataset=NAME"));
        assertEquals("Missing required option: '--model=<model>'", ErrorLines.withoutOwnPrefix("Missing required option: '--model=<model>'"));
    }

    @Test
    void oneOfOptionsShowAsRequiredChoices() {
        assertTrue(help("train").contains("(--config=FILE | (--model=MODEL --dataset=NAME))"), help("train"));
        assertTrue(help("msrs").contains("(--checkpoint=FILE [--model=MODEL] | --model=MODEL)"), help("msrs"));
        assertTrue(help("prune").contains("(--tau=<tau> | --keep=<keep>)"), help("prune"));
        CliRun.Result both = run("train", "--config", "x.yaml", "--epochs", "3");
        assertEquals(2, both.exitCode(), both.err());
        assertTrue(both.err().contains("with --config, set them in the experiment file"), both.err());
    }

    private static String help(String command) {
        // the synopsis wraps at 80 columns
        return RedTestCli.newCommandLine().getSubcommands().get(command).getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");
    }
}
