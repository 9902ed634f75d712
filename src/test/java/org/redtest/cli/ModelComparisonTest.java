package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.onnx.OnnxFixtures;
import org.redtest.similarity.ActivationDirectory;
import org.redtest.similarity.CkaMatrix;
import org.redtest.similarity.UnbiasedCka;
import org.redtest.testing.CliRun;
import org.redtest.testing.DatabaseRows;
import org.redtest.testing.NpyFiles;
import org.redtest.data.DataSpec;
import org.redtest.training.CheckpointStore;
import org.redtest.training.RunMetadata;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ArchitectureSpec;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.Shape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 27: {@code similarity MODEL --against MODEL} gives the rectangular CKA between two models' units, equal to
 * our engine's CKA between PyTorch hook dumps of both models on the same images.
 */
class ModelComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void twoOnnxModelsComparedUnitByUnitAsTheirHookDumpsAre() throws Exception {
        Path png = dir.resolve("versus.png");
        CliRun.Result r = CliRun.run("similarity", OnnxFixtures.file("resnet18.onnx").toString(), "--against",
                OnnxFixtures.file("vgg11_bn.onnx").toString(), "--inputs", OnnxFixtures.images().toString(),
                "--batches", "1", "--batch-size", "32", "--plot", png.toString(), "--db", dir.resolve("r.db").toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode result = JSON.readTree(r.out());
        JsonNode cka = result.get("cka");
        assertEquals(8, cka.size(), "rows: ResNet-18's blocks");
        assertEquals(8, cka.get(0).size(), "columns: VGG-11's conv units");

        var resnet = ActivationDirectory.load(OnnxFixtures.file("resnet18-hooks"));
        var vgg = ActivationDirectory.load(OnnxFixtures.file("vgg11_bn-hooks"));
        List<String> names = new ArrayList<>(resnet.layers());
        vgg.layers().forEach(l -> names.add("vgg/" + l));
        List<INDArray> irs = new ArrayList<>(resnet.irs());
        irs.addAll(vgg.irs());
        CkaMatrix both = UnbiasedCka.matrix(names, irs);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(both.get(i, 8 + j), cka.get(i).get(j).asDouble(), 1e-4, "cka[" + i + "][" + j + "]");
            }
        }
        assertTrue(Files.size(png) > 1000, "heatmap written");
        assertEquals(List.of("1"), DatabaseRows.query(dir.resolve("r.db"), "SELECT count(*) FROM comparisons"));
    }

    @Test
    void aModelAgainstItselfHasOnesOnTheDiagonal() throws Exception {
        Path model = OnnxFixtures.file("mobilenet_v2.onnx");
        CliRun.Result r = CliRun.run("similarity", model.toString(), "--against", model.toString(), "--inputs",
                OnnxFixtures.images().toString(), "--batch-size", "16", "--batches", "2", "--plot",
                dir.resolve("self.png").toString(), "--db", dir.resolve("r.db").toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode cka = JSON.readTree(r.out()).get("cka");
        assertEquals(2, JSON.readTree(r.out()).get("batches").asInt());
        for (int i = 0; i < cka.size(); i++) {
            assertEquals(1.0, cka.get(i).get(i).asDouble(), 1e-9);
        }
    }

    @Test
    void aCheckpointAgainstItsOwnExportMatchesUnitForUnit() throws Exception {
        var blueprint = ModelSpec.parse("resnet8").blueprint(new Shape(3, 16, 16), 4);
        CheckpointStore store = new CheckpointStore(dir.resolve("run"));
        store.saveModel(Dl4jGraphFactory.create(blueprint, GraphSettings.inference(5)));
        Files.writeString(dir.resolve("run").resolve(CheckpointStore.METADATA_FILE), new RunMetadata("run", ArchitectureSpec.parse("resnet8"),
                new Shape(3, 16, 16), 4, DataSpec.of(DataSpec.CIFAR10, null), new double[] {0, 0, 0}, new double[] {1, 1, 1}, 5, "h",
                1, null).toJson());
        Path zip = dir.resolve("run").resolve(CheckpointStore.MODEL_FILE);
        Path onnx = dir.resolve("r8.onnx");
        assertEquals(0, CliRun.run("export", "--checkpoint", zip.toString(), "--onnx", onnx.toString()).exitCode());
        Random r = new Random(1);
        float[] pixels = new float[16 * 3 * 16 * 16];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextGaussian();
        }
        Path images = NpyFiles.writeFloat32(dir.resolve("x.npy"), new long[] {16, 3, 16, 16}, pixels);

        CliRun.Result c = CliRun.run("similarity", zip.toString(), "--against", onnx.toString(), "--inputs",
                images.toString(), "--plot", dir.resolve("p.png").toString(), "--db", dir.resolve("r.db").toString(), "--json");
        assertEquals(0, c.exitCode(), c.err());
        JsonNode result = JSON.readTree(c.out());
        assertEquals(blueprint.unitNames().size(), result.get("first").get("units").size());
        JsonNode cka = result.get("cka");
        for (int i = 0; i < cka.size(); i++) {
            assertEquals(1.0, cka.get(i).get(i).asDouble(), 1e-4, "unit " + i + " against its exported self");
        }
    }

    @Test
    void aMissingModelIsRefusedBeforeAnythingIsRecorded() throws Exception {
        CliRun.Result r = CliRun.run("similarity", OnnxFixtures.file("resnet18.onnx").toString(), "--against",
                dir.resolve("missing.onnx").toString(), "--inputs", OnnxFixtures.images().toString(),
                "--db", dir.resolve("r.db").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("ONNX model not found"), r.err());
        assertTrue(!Files.exists(dir.resolve("r.db")));
    }
}
