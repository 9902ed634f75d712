package org.redtest.engine.cpu;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.redtest.engine.plan.JavaKernels;
import org.redtest.engine.plan.KernelCases;
import org.redtest.engine.plan.StepCheck;
import org.redtest.testing.ReluKinks;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU plan kernels: every operation against the plain-Java reference (with activations going in and
 * out in NCHW and living in nhwc between), and whole training steps against DL4J's own layer code.
 */
class OneDnnKernelsTest {
    static {
        CpuAcceleration.configure();
    }

    @Test
    void everyOperationMatchesTheReference() {
        try (OneDnnKernels kernels = new OneDnnKernels(1)) {
            List<KernelCases.Result> results = KernelCases.compare(new JavaKernels(), kernels);
            assertEquals(KernelCases.names().size(), results.stream().map(KernelCases.Result::operation).distinct().count());
            for (KernelCases.Result r : results) {
                assertTrue(r.within(1e-4), r.operation() + " / " + r.output() + ": largest difference "
                        + r.largest() + " against values up to " + r.scale());
            }
        }
    }

    @Test
    void activationsTravelInNchwOrder() {
        try (OneDnnKernels kernels = new OneDnnKernels(1)) {
            var shape = new org.redtest.engine.plan.SampleShape(3, 2, 4);
            float[] nchw = new float[2 * shape.size()];
            for (int i = 0; i < nchw.length; i++) {
                nchw[i] = i;
            }
            var buffer = kernels.allocate(nchw.length);
            kernels.uploadActivation(nchw, shape, 2, buffer);
            float[] raw = kernels.download(buffer);
            assertEquals(8, raw[1], "the second value held is the first pixel's second channel");
            assertEquals(java.util.Arrays.toString(nchw), java.util.Arrays.toString(kernels.downloadActivation(buffer, shape, 2)));
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 4, 4", "3, 2, 4", "16, 1, 1"})
    void batchesEnterInTheKernelsOrder(int channels, int height, int width) {
        try (OneDnnKernels kernels = new OneDnnKernels(1)) {
            var shape = new org.redtest.engine.plan.SampleShape(channels, height, width);
            INDArray batch = Nd4j.rand(DataType.FLOAT, 3, channels, height, width);
            var buffer = kernels.allocate(batch.length());
            kernels.uploadBatch(batch, shape, buffer);
            assertEquals(java.util.Arrays.toString(batch.data().asFloat()),
                    java.util.Arrays.toString(kernels.downloadActivation(buffer, shape, 3)));
            var viaArray = kernels.allocate(batch.length());
            kernels.uploadActivation(batch.data().asFloat(), shape, 3, viaArray);
            assertEquals(java.util.Arrays.toString(kernels.download(viaArray)),
                    java.util.Arrays.toString(kernels.download(buffer)));
        }
    }

    /** The optimiser's factors change with the learning rate: more of them than the kernels keep primitives for. */
    @Test
    void longVectorsScaleByManyFactors() {
        try (OneDnnKernels kernels = new OneDnnKernels(1)) {
            int length = 100_000;
            float[] x = new float[length];
            for (int i = 0; i < length; i++) {
                x[i] = (i % 17) - 8;
            }
            var in = kernels.allocate(length);
            var out = kernels.allocate(length);
            kernels.upload(x, in);
            for (int round = 0; round < 2; round++) {
                for (int f = 1; f <= 20; f++) {
                    double factor = 0.05 * f;
                    kernels.scale(factor, in, out, false);
                    float[] y = kernels.download(out);
                    for (int i = 0; i < length; i += 997) {
                        assertEquals(factor * x[i], y[i], 1e-5, "factor " + factor + " at " + i);
                    }
                }
            }
        }
    }

    private static final double KINK_MARGIN = 2e-6;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "resnet20; 16; 2; 5",
            "vgg11; 32; 2; 4",
            "nats[C=8,N=1]:|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|; 16; 6; 7"})
    void trainingStepsMatchDl4j(String spec, int size, int batchSize, long seed) {
        NetworkBlueprint bp = ModelSpec.parse(spec).blueprint(new Shape(3, size, size), 10);
        ComputationGraph reference = graph(bp, seed);
        ComputationGraph planned = graph(bp, seed);
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
            differences.addAll(StepCheck.run(reference, planned, batch, 1, () -> new OneDnnKernels(seed)));
        }
        assertTrue(differences.size() > 20, "every parameter compared");
        for (StepCheck.Difference d : differences) {
            assertTrue(d.within(), spec + ": " + d.what() + ": largest difference " + d.largest()
                    + " (scale " + d.scale() + ", tolerance " + d.tolerance() + ")");
        }
    }

    /** DL4J's own layer code, without dropout (its masks come from ND4J's generator). */
    private static ComputationGraph graph(NetworkBlueprint bp, long seed) {
        ComputationGraph g = FastCpuPath.buildOn(FastCpuPath.LayerPath.STOCK,
                () -> Dl4jGraphFactory.create(bp, new GraphSettings(seed, new Nesterovs(0.05, 0.9), 5e-4)));
        for (org.deeplearning4j.nn.api.Layer layer : g.getLayers()) {
            if (layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.DropoutLayer d) {
                d.setIDropout(null);
            }
        }
        return g;
    }
}
