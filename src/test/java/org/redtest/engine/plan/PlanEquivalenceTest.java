package org.redtest.engine.plan;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.engine.cpu.FastCpuPath;
import org.redtest.testing.ReluKinks;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GPU engine's plan, run on the plain-Java kernels, against DL4J's own layer code: the same output, loss,
 * gradients, updated parameters, batch-norm statistics and Nesterov velocity after each of two training steps,
 * on whole networks of every family. Only the cuDNN/cuBLAS calls themselves are left to the GPU check.
 */
class PlanEquivalenceTest {
    static {
        CpuAcceleration.configure();
    }

    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "resnet20; 16; 2; 5",
            "vgg11; 32; 2; 4",
            "nats[C=8,N=1]:|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|; 16; 6; 7"})
    void trainingStepsMatchDl4j(String spec, int size, int batchSize, long seed) {
        NetworkBlueprint bp = ModelSpec.parse(spec).blueprint(new Shape(3, size, size), 10);
        ComputationGraph reference = graph(bp, seed);
        ComputationGraph planned = graph(bp, seed);
        assertEquals(reference.params(), planned.params(), "same initial parameters");
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(DataType.FLOAT, batchSize, 3, size, size).muli(2).subi(0.5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batchSize, 10);
        for (int i = 0; i < batchSize; i++) {
            labels.putScalar(i, (i * 3) % 10, 1.0);
        }
        DataSet batch = new DataSet(features, labels);

        try (PlanInferenceSession inference = new PlanInferenceSession(planned, JavaKernels::new)) {
            assertClose(reference.outputSingle(false, features), inference.output(features), spec + ": initial outputs");
        }
        try (PlanTrainingSession session = new PlanTrainingSession(planned, JavaKernels::new)) {
            for (int step = 0; step < 2; step++) {
                ReluKinks.assertNoReluInputNearZero(reference, features, KINK_MARGIN, spec + ", step " + step);
                reference.setInputs(features);
                reference.setLabels(labels);
                reference.computeGradientAndScore();
                double expectedLoss = reference.score();
                double expectedL2 = reference.calcRegularizationScore(true);
                Map<String, INDArray> expectedGradients = new java.util.HashMap<>();
                // copies: the arrays are views that fit() overwrites with the update
                reference.gradient().gradientForVariable().forEach((k, v) -> expectedGradients.put(k, v.dup('c')));
                Map<String, INDArray> before = new java.util.HashMap<>();
                for (Layer layer : reference.getLayers()) {
                    layer.paramTable().forEach((k, v) -> before.put(layer.conf().getLayer().getLayerName() + "_" + k, v.dup('c')));
                }
                reference.fit(batch);

                double loss = session.fit(batch);
                double l2 = 0; // the L2 term, in double: DL4J sums the squares in float (VGG-11: 3.8e-4 off)
                for (ParamSlot slot : session.executor().plan().params()) {
                    if (slot.regularized()) {
                        l2 += 0.5 * 5e-4 * before.get(slot.variable()).castTo(DataType.DOUBLE).norm2Number().doubleValue()
                                * before.get(slot.variable()).castTo(DataType.DOUBLE).norm2Number().doubleValue();
                    }
                }
                assertEquals(expectedLoss - expectedL2, loss - l2, TOLERANCE * Math.max(1, Math.abs(expectedLoss)),
                        spec + ": cross-entropy at step " + step);
                assertEquals(expectedL2, l2, 1e-3 * Math.max(1e-3, expectedL2), spec + ": L2 term at step " + step);
                float[] gradients = session.executor().parameterGradients();
                for (ParamSlot slot : session.executor().plan().params()) {
                    // DL4J's gradient is summed over the batch (its updater divides and adds the L2 term); the plan's
                    // is the mean with the L2 term added
                    INDArray expected = expectedGradients.get(slot.variable()).div(batchSize);
                    if (slot.regularized()) {
                        expected.addi(before.get(slot.variable()).mul(5e-4));
                    }
                    assertClose(expected, slice(gradients, slot), spec + ": gradient of " + slot.variable() + " at step " + step);
                }
                session.synchronize();
                assertEquals(reference.getConfiguration().getIterationCount(), planned.getConfiguration().getIterationCount());
                for (Layer layer : reference.getLayers()) {
                    String name = layer.conf().getLayer().getLayerName();
                    for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                        assertClose(p.getValue(), planned.getLayer(name).paramTable().get(p.getKey()),
                                spec + ": parameter " + name + "_" + p.getKey() + " after step " + step);
                    }
                }
                assertClose(reference.getUpdater().getStateViewArray(), planned.getUpdater().getStateViewArray(),
                        spec + ": Nesterov velocity after step " + step);
            }
            assertTrue(session.parametersFinite());
        }
        try (PlanInferenceSession inference = new PlanInferenceSession(planned, JavaKernels::new)) {
            assertClose(reference.outputSingle(false, features), inference.output(features),
                    spec + ": outputs after training (running statistics)");
        }
    }

    /** DL4J's own layer code, without dropout (its masks come from ND4J's generator; dropout is tested apart). */
    static ComputationGraph graph(NetworkBlueprint bp, long seed) {
        ComputationGraph g = FastCpuPath.buildOn(FastCpuPath.LayerPath.STOCK,
                () -> Dl4jGraphFactory.create(bp, new GraphSettings(seed, new Nesterovs(0.05, 0.9), 5e-4)));
        for (Layer layer : g.getLayers()) {
            if (layer.conf().getLayer() instanceof DropoutLayer d) {
                d.setIDropout(null);
            }
        }
        return g;
    }

    /** Our double-precision reference and DL4J's float code differ by about 1e-6 on a ReLU's input. */
    private static final double KINK_MARGIN = 2e-6;

    private static INDArray slice(float[] values, ParamSlot slot) {
        float[] part = new float[slot.length()];
        System.arraycopy(values, (int) slot.offset(), part, 0, part.length);
        return Nd4j.create(part, slot.shape(), 'c');
    }

    static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what + ": size");
        INDArray e = expected.castTo(DataType.DOUBLE).reshape(expected.length());
        INDArray a = actual.castTo(DataType.DOUBLE).dup(expected.ordering()).reshape(expected.length());
        double scale = Math.max(1, e.amaxNumber().doubleValue());
        double diff = e.sub(a).amaxNumber().doubleValue();
        assertTrue(diff <= TOLERANCE * scale, what + ": largest difference " + diff + " (scale " + scale + ")");
    }
}
