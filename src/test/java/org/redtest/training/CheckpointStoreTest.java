package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.RedTestException;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.Shape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {
    static {
        CpuAcceleration.configure();
    }

    @TempDir
    Path dir;

    private static ComputationGraph graph(long seed) {
        return Dl4jGraphFactory.create(ModelSpec.parse("vgg:8,M,16").blueprint(new Shape(1, 8, 8), 4), GraphSettings.inference(seed));
    }

    @Test
    void roundTripKeepsWeightsAndEpochCounter() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("run"));
        ComputationGraph g = graph(1);
        g.getConfiguration().setEpochCount(7);
        store.saveModel(g);
        ComputationGraph back = store.loadModel().orElseThrow();
        assertArrayEquals(g.params().toFloatVector(), back.params().toFloatVector());
        assertEquals(7, back.getConfiguration().getEpochCount());
        try (var files = Files.list(store.directory())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void truncatedCheckpointIsReportedAndLeftUntouched() throws Exception {
        CheckpointStore store = new CheckpointStore(dir);
        store.saveModel(graph(1));
        byte[] full = Files.readAllBytes(store.modelFile());
        byte[] truncated = Arrays.copyOf(full, full.length / 2);
        Files.write(store.modelFile(), truncated);
        var e = assertThrows(RedTestException.class, store::loadModel);
        assertTrue(e.getMessage().contains("is corrupt or truncated"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertArrayEquals(truncated, Files.readAllBytes(store.modelFile()));
    }

    @Test
    void missingCheckpointIsNamed() {
        var e = assertThrows(RedTestException.class, () -> CheckpointStore.load(dir.resolve("none.zip")));
        assertEquals("checkpoint not found: " + dir.resolve("none.zip"), e.getMessage());
        assertTrue(new CheckpointStore(dir).loadModel().isEmpty());
    }

    @Test
    void textFilesAreReplacedWhole() {
        CheckpointStore store = new CheckpointStore(dir);
        store.writeText("run.json", "{\"a\": 1}");
        store.writeText("run.json", "{\"a\": 2}");
        assertEquals("{\"a\": 2}", store.readText("run.json").orElseThrow());
    }
}
