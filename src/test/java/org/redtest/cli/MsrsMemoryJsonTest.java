package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.data.FashionMnistReader;
import org.redtest.engine.cpu.CpuAcceleration;

import java.nio.file.Files;
import java.nio.file.Path;
import org.redtest.testing.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** The memory benchmark's figures as JSON, which the reproduction suite reads instead of its printed text. */
class MsrsMemoryJsonTest {
    @TempDir
    Path dir;

    @Test
    void writesItsFiguresAsJson() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnistReader.DEFAULT_DIR), "dataset-fashion-mnist not installed");
        CpuAcceleration.configure();
        Path json = dir.resolve("memory.json");
        CliRun.Result r = run("bench", "msrs-memory", "--model", "resnet8", "--batches", "1", "--batch-size", "16",
                "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode figures = Console.JSON.readTree(json.toFile());
        assertEquals("resnet8", figures.get("model").asText());
        assertEquals(4, figures.get("units").asInt(), "stem and three blocks");
        assertTrue(figures.get("peakGib").asDouble() > 0.05, figures.toString());
        assertTrue(r.out().contains("peak process memory"), r.out());
    }
}
