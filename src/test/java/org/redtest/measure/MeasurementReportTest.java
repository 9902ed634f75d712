package org.redtest.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.config.Sampling;
import org.redtest.similarity.MsrsSummary;
import org.redtest.storage.MeasurementOrigin;
import org.redtest.zoo.ModelSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeasurementReportTest {
    @TempDir
    Path dir;

    private static Measurement measurement() {
        double[][] cka = {{1, 0.9, 0.5}, {0.9, 1, 0.7}, {0.5, 0.7, 1}};
        MsrsSummary s = new MsrsSummary(List.of("conv1", "conv2", "conv3"), 100, 0.8, 1.5, 0.1, new double[] {1.5}, 1, 0,
                List.of(), cka, new double[] {0.9, 0.7});
        return new Measurement(ModelSpec.parse("vgg:8,8,M,16"), "cifar10", "test",
                new MeasurementSettings(1, 16, Sampling.FIRST, 1, 100, 0.8), s, 0.1, null, null, null);
    }

    @Test
    void aPrunedModelsFilesCarryTheOriginalUnitNames() throws Exception {
        List<Path> files = MeasurementReport.writeFiles(measurement(), dir, "measure", MeasurementOrigin.MEASURE_STAGE,
                "vgg:8,8,M,16,16 pruned by cka", List.of("conv2", "conv4", "conv5"));
        assertTrue(Files.size(files.get(0)) > 1000, "heatmap written");
        JsonNode j = new ObjectMapper().readTree(files.get(1).toFile());
        assertEquals("[\"conv2\",\"conv4\",\"conv5\"]", j.get("units").toString());
        assertEquals("[\"conv1\",\"conv2\",\"conv3\"]", j.get("model_units").toString(), "the rebuilt model's own names kept");
        assertEquals("conv4", j.at("/adjacent/0/to").asText());
        assertEquals("vgg:8,8,M,16", j.get("model").asText());
    }

    @Test
    void anUnprunedModelsFilesAreAsBefore() throws Exception {
        List<Path> files = MeasurementReport.writeFiles(measurement(), dir, "measure");
        JsonNode j = new ObjectMapper().readTree(files.get(1).toFile());
        assertEquals("[\"conv1\",\"conv2\",\"conv3\"]", j.get("units").toString());
        assertFalse(j.has("model_units"));
    }
}
