package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.storage.ResultsDatabase;
import org.redtest.testing.CliRun.Result;
import org.redtest.testing.TinyCifarWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** The command line end to end on a tiny CIFAR-format data set written here. */
class RedTestCliTest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(8, 11);

    private Path config(String name, String body) throws Exception {
        Path f = WORK.dir().resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\noutput_dir: " + WORK.dir().resolve("out") + "\n" + body);
        return f;
    }

    private static void assertOneLineError(Result r, int code, String fragment) {
        assertEquals(code, r.exitCode(), r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void runTrainsEvaluatesRecordsAndResumesAsANoOp() throws Exception {
        Path cfg = config("e2e", """
                model: resnet8
                data: {dataset: cifar10, dir: %s}
                training: {epochs: 2, batch_size: 16, learning_rate: 0.05}
                """.formatted(WORK.cifar()));
        Result r = run("run", cfg.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("resnet8 on 8 cifar10 test images: top-1"), r.out());
        Path model = WORK.dir().resolve("out/e2e/model.zip");
        assertTrue(Files.exists(model) && Files.exists(WORK.dir().resolve("out/e2e/run.json")));
        try (ResultsDatabase db = ResultsDatabase.open(WORK.dir().resolve("out/redtest.db"))) {
            long id = db.runId("e2e").orElseThrow();
            assertEquals("finished", db.runStatus(id));
            assertEquals(2, db.epochs(id).size());
        }
        byte[] trained = Files.readAllBytes(model);

        Result again = run("run", cfg.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertArrayEquals(trained, Files.readAllBytes(model), "a finished run is not trained further");

        Result eval = run("evaluate", "--checkpoint", model.toString(), "--db", WORK.dir().resolve("out/redtest.db").toString(), "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        JsonNode json = Console.JSON.readTree(eval.out());
        assertEquals(8, json.get("samples").asInt());
        assertEquals("resnet8", json.get("model").asText());

        byte[] truncated = Arrays.copyOf(trained, trained.length / 3);
        Files.write(model, truncated);
        assertOneLineError(run("run", cfg.toString()), 1, "is corrupt or truncated");
        assertOneLineError(run("evaluate", "--checkpoint", model.toString()), 1, "is corrupt or truncated");
        assertArrayEquals(truncated, Files.readAllBytes(model), "nothing saved is overwritten");
    }

    @Test
    void trainFromFlagsWritesACheckpoint() {
        Result r = run("train", "--model", "vgg:8,M,16,M", "--dataset", "cifar10", "--data-dir", WORK.cifar().toString(),
                "--epochs", "1", "--batch-size", "20", "--name", "flags", "--output-dir", WORK.dir().resolve("out2").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(WORK.dir().resolve("out2/flags/model.zip")));
    }

    @Test
    void badInputsGiveOneLineErrors() throws Exception {
        assertOneLineError(run("info", "--model", "resnet21"), 1, "unknown model spec 'resnet21'");
        assertOneLineError(run("info", "--model", "nats:|bogus~0|+|none~0|none~1|+|none~0|none~1|none~2|"), 1, "unknown NATS operation 'bogus'");
        assertOneLineError(run("info", "--model", "vgg11", "--input", "3x32"), 1, "input shape must be CxHxW");
        assertOneLineError(run("info"), 2, "Missing required option");
        assertOneLineError(run("run", WORK.dir().resolve("absent.yaml").toString()), 1, "config file not found");
        assertOneLineError(run("run", config("bad-yaml", "model: [resnet8\n").toString()), 1, "malformed YAML");
        assertOneLineError(run("run", config("bad-key", "model: resnet8\nmodle: x\ndata: {dataset: cifar10, dir: /x}\n").toString()),
                1, "unknown key 'modle'");
        assertOneLineError(run("run", config("no-data", "model: resnet8\ndata: {dataset: cifar10, dir: " + WORK.dir().resolve("nowhere") + "}\n").toString()),
                1, "data directory does not exist");
        assertOneLineError(run("evaluate", "--checkpoint", WORK.dir().resolve("none.zip").toString()), 1, "checkpoint not found");
    }

    @Test
    void infoPrintsExactCountsAsJson() throws Exception {
        Result r = run("info", "--model", "resnet20", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = Console.JSON.readTree(r.out());
        assertEquals(269722, json.get("params").asLong());
        assertEquals(10, json.get("units").size());
        assertEquals("stem", json.get("units").get(0).asText());

        Result latency = run("info", "--model", "resnet8", "--input", "1x16x16", "--classes", "4", "--latency", "--json");
        JsonNode l = Console.JSON.readTree(latency.out());
        assertTrue(l.get("latency_s").asDouble() > 0);
        assertEquals("1x16x16", l.get("input").asText());
    }
}
