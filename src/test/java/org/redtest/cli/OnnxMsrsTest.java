package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.redtest.onnx.OnnxFixtures;
import org.redtest.similarity.ActivationDirectory;
import org.redtest.similarity.CkaMatrix;
import org.redtest.similarity.UnbiasedCka;
import org.redtest.testing.CliRun;
import org.redtest.testing.DatabaseRows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 27: {@code msrs --onnx} on torchvision models exported by PyTorch gives the CKA matrix our engine gives on
 * the same units' outputs dumped by PyTorch forward hooks, with auto finding those units and with them named.
 */
class OnnxMsrsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"resnet18, 8, 0.8", "vgg11_bn, 8, 0.7", "mobilenet_v2, 11, 0.8"})
    void autoAndNamedUnitsGiveTheCkaOfPyTorchHookDumps(String model, int units, double gamma) throws Exception {
        CkaMatrix hooks = hookCka(model);
        JsonNode auto = measure(model, "auto");
        assertEquals(units, auto.get("units").size(), auto.get("units").toString());
        assertEquals(gamma, auto.get("gamma").asDouble(), "the family's gamma when auto recognised it");
        assertCka(hooks, auto.get("cka"));

        List<String> names = new ArrayList<>();
        auto.get("units").forEach(u -> names.add(u.asText()));
        JsonNode named = measure(model, String.join(",", names));
        assertCka(hooks, named.get("cka"));
        assertEquals(0.8, named.get("gamma").asDouble(), "named units: the default gamma");
        assertEquals(units - 1, named.get("ranking").size());
        assertEquals(List.of("2"), DatabaseRows.query(dir.resolve("r.db"),
                "SELECT count(*) FROM measurements WHERE family = 'onnx' AND model_spec LIKE 'onnx:sha256:%'"));
    }

    @Test
    void unitsListShowsTheCandidateTensorsWithTheirShapesAndMeasuresNothing() {
        CliRun.Result r = CliRun.run("msrs", "--onnx", OnnxFixtures.file("vgg11_bn.onnx").toString(), "--units", "list",
                "--db", dir.resolve("r.db").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("28 candidate units of"), r.out());
        assertTrue(r.out().contains("/features/features.2/Relu_output_0  [1, 8, 64, 64]"), r.out());
        assertTrue(r.out().contains("logits  [1, 10]"), r.out());
        assertTrue(!dir.resolve("r.db").toFile().exists(), "nothing recorded");
    }

    private JsonNode measure(String model, String units) throws Exception {
        CliRun.Result r = CliRun.run("msrs", "--onnx", OnnxFixtures.file(model + ".onnx").toString(), "--inputs",
                OnnxFixtures.images().toString(), "--batches", "1", "--batch-size", "32", "--units", units,
                "--db", dir.resolve("r.db").toString(), "--out", dir.resolve(model).toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(dir.resolve(model).resolve("msrs-cka.png").toFile().isFile());
        return JSON.readTree(r.out());
    }

    private static CkaMatrix hookCka(String model) {
        var loaded = ActivationDirectory.load(OnnxFixtures.file(model + "-hooks"));
        return UnbiasedCka.matrix(loaded.layers(), loaded.irs());
    }

    private static void assertCka(CkaMatrix expected, JsonNode actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            for (int j = 0; j < expected.size(); j++) {
                assertEquals(expected.get(i, j), actual.get(i).get(j).asDouble(), 1e-4, "cka[" + i + "][" + j + "]");
            }
        }
    }
}
