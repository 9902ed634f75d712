package org.redtest.engine.plan;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.engine.cpu.FastCpuPath;
import org.redtest.engine.cpu.OneDnnKernels;
import org.redtest.testing.ReluKinks;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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

    /** Model spec, image size, batch size, seed: a network of every family. */
    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of("resnet20", 16, 2, 5L),
                Arguments.of("vgg11", 32, 2, 4L),
                Arguments.of("nats[C=8,N=1]:|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|avg_pool_3x3~1|"
                        + "nor_conv_3x3~2|", 16, 6, 7L));
    }

    @ParameterizedTest
    @MethodSource("networks")
    void trainingStepsMatchDl4j(String spec, int size, int batchSize, long seed) {
        assertTrainingStepsMatchDl4j(spec, size, batchSize, seed, JavaKernels::new);
    }

    /** The CPU engine's kernels (oneDNN, nhwc and channel-blocked activations, Winograd, fused ReLUs) the same way. */
    @ParameterizedTest
    @MethodSource("networks")
    void oneDnnTrainingStepsMatchDl4j(String spec, int size, int batchSize, long seed) {
        assertTrainingStepsMatchDl4j(spec, size, batchSize, seed, () -> new OneDnnKernels(seed));
    }

    private static void assertTrainingStepsMatchDl4j(String spec, int size, int batchSize, long seed,
                                                     java.util.function.Supplier<Kernels> kernels) {
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
        List<StepCheck.Difference> differences = new ArrayList<>();
        for (int step = 0; step < 2; step++) {
            ReluKinks.assertNoReluInputNearZero(reference, features, KINK_MARGIN, spec + ", step " + step);
            // one step per check: the second starts a new session, which loads the velocity the first wrote back
            differences.addAll(StepCheck.run(reference, planned, batch, 1, kernels));
        }
        assertTrue(differences.size() > 20, "every parameter compared");
        for (StepCheck.Difference d : differences) {
            assertTrue(d.within(), spec + ": " + d.what() + ": largest difference " + d.largest()
                    + " (scale " + d.scale() + ", tolerance " + d.tolerance() + ")");
        }
        assertEquals(reference.getConfiguration().getIterationCount(), planned.getConfiguration().getIterationCount());
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

}
