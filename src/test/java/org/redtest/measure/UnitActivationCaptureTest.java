package org.redtest.measure;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;
import org.redtest.zoo.Unit;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UnitActivationCaptureTest {
    static {
        CpuAcceleration.configure();
    }

    /** The pooled taps equal the global average of each unit's full activation from a plain forward pass. */
    @Test
    void capturedIrsArePooledUnitOutputs() {
        for (String spec : List.of("resnet:1-2-1", "vgg:8,M,16,16,M", "nats[C=4,N=1]:|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|skip_connect~2|")) {
            NetworkBlueprint bp = ModelSpec.parse(spec).blueprint(new Shape(3, 16, 16), 5);
            ComputationGraph trained = Dl4jGraphFactory.create(bp, GraphSettings.inference(3));
            INDArray x = Nd4j.rand(DataType.FLOAT, 6, 3, 16, 16);
            Map<String, INDArray> full = trained.feedForward(x, false);
            try (UnitActivationCapture capture = UnitActivationCapture.of(trained, bp)) {
                List<INDArray> irs = capture.capture(x);
                assertEquals(bp.units().size(), irs.size());
                for (int i = 0; i < irs.size(); i++) {
                    Unit unit = bp.units().get(i);
                    INDArray expected = full.get(unit.vertex()).mean(2, 3);
                    assertArrayEquals(expected.shape(), irs.get(i).shape(), spec + " " + unit.name());
                    assertEquals(0.0, expected.sub(irs.get(i)).amaxNumber().doubleValue(), 1e-5, spec + " " + unit.name());
                }
            }
        }
    }
}
