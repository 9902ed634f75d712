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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    void aMissingModelIsRefusedBeforeAnythingIsRecorded() throws Exception {
        CliRun.Result r = CliRun.run("similarity", OnnxFixtures.file("resnet18.onnx").toString(), "--against",
                dir.resolve("missing.onnx").toString(), "--inputs", OnnxFixtures.images().toString(),
                "--db", dir.resolve("r.db").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("ONNX model not found"), r.err());
        assertTrue(!Files.exists(dir.resolve("r.db")));
    }
}
