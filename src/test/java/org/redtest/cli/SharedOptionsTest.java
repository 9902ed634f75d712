package org.redtest.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shared --model and --batch-size mixins keep each command's own default and take a given value (parsed only, nothing runs). */
class SharedOptionsTest {
    private static <T> T parsed(Class<T> type, String... args) {
        CommandLine.ParseResult result = RedTestCli.newCommandLine().parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return type.cast(result.commandSpec().userObject());
    }

    @Test
    void eachCommandKeepsItsDefault() {
        assertEquals(256, parsed(EvaluateCommand.class, "evaluate", "--checkpoint", "m.zip").batchSize.value());
        assertEquals(256, parsed(MsrsCommand.class, "msrs", "--model", "resnet8").batchSize.value());
        BenchCommand.CpuPath cpuPath = parsed(BenchCommand.CpuPath.class, "bench", "cpu-path");
        assertEquals("resnet20", cpuPath.model.value());
        assertEquals(128, cpuPath.batchSize.value());
        BenchCommand.MsrsMemory memory = parsed(BenchCommand.MsrsMemory.class, "bench", "msrs-memory");
        assertEquals("resnet1202", memory.model.value());
        assertEquals(256, memory.batchSize.value());
    }

    @Test
    void aGivenValueWins() {
        assertEquals(16, parsed(EvaluateCommand.class, "evaluate", "--checkpoint", "m.zip", "--batch-size", "16")
                .batchSize.value());
        BenchCommand.PruneMemory prune = parsed(BenchCommand.PruneMemory.class, "bench", "prune-memory", "--model", "resnet8");
        assertEquals("resnet8", prune.model.value());
    }
}
