package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.reproduce.PaperSuite;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.process.FaultInjection;
import org.redtest.testing.CliRun;
import org.redtest.testing.TinyData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/**
 * A part whose JVM dies of a native crash (a real SIGSEGV, injected) becomes a FAIL row naming the crash; the
 * suite finishes with the other parts' rows, and the next run retries the crashed part alone.
 */
class PaperSuiteCrashTest {
    @TempDir
    Path dir;

    @Test
    void aCrashedPartIsAFailRowAndTheSuiteGoesOn() throws Exception {
        CpuAcceleration.configure();
        Path cifar = TinyData.writeCifar10(dir.resolve("cifar"), 12, 4);
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                tier: cpu
                name: crashy
                output_dir: %s
                data: {dataset: cifar10, dir: %s}
                training: {epochs: 1, batch_size: 30, learning_rate: 0.05}
                measure: {batches: 1, batch_size: 12}
                depth: [resnet8, resnet14]
                """.formatted(dir.resolve("out"), cifar));
        Path out = dir.resolve("out/crashy");

        System.setProperty(FaultInjection.CRASH_PROPERTY, PaperSuite.PART_FAULT_POINT + "depth-resnet14");
        CliRun.Result crashed;
        try {
            crashed = run("bench", "paper", "--tier", "cpu", "--suite", suite.toString());
        } finally {
            System.clearProperty(FaultInjection.CRASH_PROPERTY);
        }
        assertEquals(0, crashed.exitCode(), crashed.err());
        assertTrue(crashed.out().contains("1 part(s) did not finish (depth-resnet14)"), crashed.out());
        JsonNode failed = row(out, "part depth-resnet14");
        assertEquals("FAIL", failed.get("verdict").asText());
        assertEquals("msrs vs depth", failed.get("section").asText());
        String item = failed.get("item").asText();
        assertTrue(item.contains("the JVM crashed: SIGSEGV"), item);
        assertTrue(item.contains("problematic frame"), item);
        try (Stream<Path> logs = Files.list(out.resolve("crashes"))) {
            assertTrue(logs.anyMatch(f -> f.getFileName().toString().startsWith("hs_err_pid")), "the crash log is kept");
        }
        assertTrue(Files.isRegularFile(out.resolve("parts/depth-resnet8.json")), "the other part finished and was saved");
        assertFalse(Files.exists(out.resolve("parts/depth-resnet14.json")));
        assertTrue(rows(out).stream().anyMatch(r -> r.get("item").asText().startsWith("resnet8 ")), "resnet8's rows are in the table");

        CliRun.Result retried = run("bench", "paper", "--tier", "cpu", "--suite", suite.toString());
        assertEquals(0, retried.exitCode(), retried.err());
        assertTrue(retried.out().contains("train, evaluate and measure resnet14"), retried.out());
        assertFalse(retried.out().contains("train, evaluate and measure resnet8"), "the finished part is reused");
        assertTrue(rows(out).stream().noneMatch(r -> r.get("item").asText().startsWith("part ")), "no unfinished part left");
    }

    private static List<JsonNode> rows(Path out) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        Console.JSON.readTree(out.resolve("paper.json").toFile()).get("rows").forEach(rows::add);
        return rows;
    }

    private static JsonNode row(Path out, String prefix) throws Exception {
        List<JsonNode> rows = rows(out);
        return rows.stream().filter(r -> r.get("item").asText().startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + prefix + " in " + rows));
    }
}
