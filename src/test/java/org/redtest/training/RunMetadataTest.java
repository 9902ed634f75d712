package org.redtest.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.redtest.RedTestException;
import org.redtest.config.TrainingConfig;
import org.redtest.data.DataSpec;
import org.redtest.zoo.ArchitectureSpec;
import org.redtest.zoo.Shape;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** run.json: the model and input shape are typed values in memory and the same text in the file. */
class RunMetadataTest {
    private static RunMetadata run(String spec) {
        return new RunMetadata("r", ArchitectureSpec.parse(spec), new Shape(3, 16, 16), 4, DataSpec.of(DataSpec.CIFAR10, "/d"),
                new double[]{0, 0, 0}, new double[]{1, 1, 1}, 5, "h", 2, TrainingConfig.defaults());
    }

    @Test
    void theFileKeepsTheSpecAndShapeAsText() throws Exception {
        String json = run("vgg:8,M,16").toJson();
        JsonNode tree = new ObjectMapper().readTree(json);
        assertEquals("vgg:8,M,16", tree.get("model_spec").asText());
        assertEquals("3x16x16", tree.get("input_shape").asText());
        RunMetadata read = RunMetadata.fromJson(json, Path.of("run.json"));
        assertEquals("vgg:8,M,16", read.modelSpec().text());
        assertEquals(new Shape(3, 16, 16), read.inputShape());
        assertEquals(read.modelSpec().architecture().blueprint(new Shape(3, 16, 16), 4).params(), read.blueprint().params());
        assertSame(read.modelSpec().architecture(), read.modelSpec().architecture(), "parsed once, when read");
    }

    @Test
    void aSpecThatNoLongerParsesIsRefusedWithItsOwnMessage() {
        String json = run("resnet8").toJson().replace("\"resnet8\"", "\"resnet9\"");
        RedTestException e = assertThrows(RedTestException.class, () -> RunMetadata.fromJson(json, Path.of("run.json")));
        assertTrue(e.getMessage().contains("resnet9"), e.getMessage());
        String shape = run("resnet8").toJson().replace("\"3x16x16\"", "\"3x16\"");
        e = assertThrows(RedTestException.class, () -> RunMetadata.fromJson(shape, Path.of("run.json")));
        assertEquals("input shape must be CxHxW (e.g. 3x32x32), got '3x16'", e.getMessage());
    }
}
