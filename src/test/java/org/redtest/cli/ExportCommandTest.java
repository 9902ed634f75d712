package org.redtest.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.onnx.OnnxModel;
import org.redtest.onnx.OnnxUnits;
import org.redtest.training.CheckpointStore;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.Shape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** Issue 27: {@code export} writes an ONNX file that ONNX Runtime agreed with, and refuses bad targets with one line. */
class ExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointIsExportedWithItsUnitsAndCheckedInOnnxRuntime() {
        var blueprint = ModelSpec.parse("resnet8").blueprint(new Shape(1, 16, 16), 4);
        CheckpointStore store = new CheckpointStore(dir.resolve("run"));
        store.saveModel(Dl4jGraphFactory.create(blueprint, GraphSettings.inference(3)));
        Path zip = dir.resolve("run").resolve(CheckpointStore.MODEL_FILE);
        Path out = dir.resolve("r8.onnx");

        var noSpec = run("export", "--checkpoint", zip.toString(), "--onnx", out.toString());
        assertEquals(1, noSpec.exitCode());
        assertTrue(noSpec.err().contains("no run.json beside"), noSpec.err());
        var toDirectory = run("export", "--checkpoint", zip.toString(), "--onnx", dir.toString(), "--model", "resnet8");
        assertEquals(1, toDirectory.exitCode());
        assertTrue(toDirectory.err().contains("is a directory"), toDirectory.err());
        assertFalse(Files.exists(out));

        var r = run("export", "--checkpoint", zip.toString(), "--onnx", out.toString(), "--model", "resnet8",
                "--input", "1x16x16", "--classes", "4");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("ONNX Runtime agrees with DL4J"), r.out());
        OnnxModel model = OnnxModel.read(out);
        assertEquals("1x16x16", model.input().shapeText());
        assertEquals(blueprint.unitNames(), OnnxUnits.auto(model, Map.of()).tensors());
    }
}
