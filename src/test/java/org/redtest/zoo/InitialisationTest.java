package org.redtest.zoo;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.engine.cpu.CpuAcceleration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The initial weights of each family against the formulas of its reference code, worked out here from
 * the DL4J parameter shapes alone (conv W is out x in x k x k, linear W is in x out): every layer's
 * standard deviation within 15% of its formula, and all layers of one kind together within a few
 * percent; uniform draws stay inside their bound; batch norm starts at 1 and 0. Then the spread of
 * the initial logits, which decides whether a VGG learns at all.
 */
class InitialisationTest {
    static {
        CpuAcceleration.configure();
    }

    private static final Shape INPUT = new Shape(3, 32, 32);
    private static final long SEED = 42;
    /** All layers of a kind pooled: the sample std of value / formula std within 3% of 1 (5% for few values). */
    private static final double POOLED_TOLERANCE = 0.03;
    private static final double SMALL_POOL_TOLERANCE = 0.05;
    /** One layer alone (the smallest hold a few hundred values). */
    private static final double LAYER_TOLERANCE = 0.15;
    private static final String NATS_CELL = "|nor_conv_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|avg_pool_3x3~2|";

    private static ComputationGraph build(String spec, int classes, long seed) {
        return Dl4jGraphFactory.create(ModelSpec.parse(spec).blueprint(INPUT, classes), GraphSettings.inference(seed));
    }

    private static boolean isConv(Layer l) {
        return l.conf().getLayer() instanceof ConvolutionLayer;
    }

    private static boolean isLinear(Layer l) {
        return l.conf().getLayer() instanceof DenseLayer || l.conf().getLayer() instanceof OutputLayer;
    }

    private static boolean isBatchNorm(Layer l) {
        return l.conf().getLayer() instanceof BatchNormalization;
    }

    private static String name(Layer l) {
        return l.conf().getLayer().getLayerName();
    }

    /** in x k x k for a conv (W: out, in, k, k); in for a linear layer (W: in, out). */
    private static double fanIn(Layer l) {
        long[] w = l.getParam("W").shape();
        return isConv(l) ? (double) w[1] * w[2] * w[3] : w[0];
    }

    /** out x k x k for a conv. */
    private static double fanOut(Layer l) {
        long[] w = l.getParam("W").shape();
        return (double) w[0] * w[2] * w[3];
    }

    private static double std(double[] values) {
        double sum = 0;
        double sumSq = 0;
        for (double v : values) {
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / values.length;
        return Math.sqrt((sumSq - values.length * mean * mean) / (values.length - 1));
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).data().asDouble();
    }

    /**
     * Checks one kind of parameter ({@code param} of the {@code layers}) against {@code formulaStd}:
     * each layer on its own, then all values divided by their layer's formula std, pooled.
     */
    private static void assertStd(String kind, List<Layer> layers, String param, ToDoubleFunction<Layer> formulaStd,
                                  double pooledTolerance) {
        assertTrue(!layers.isEmpty(), "no layers of kind " + kind);
        double sum = 0;
        double sumSq = 0;
        long count = 0;
        for (Layer l : layers) {
            double expected = formulaStd.applyAsDouble(l);
            double[] v = values(l.getParam(param));
            double actual = std(v);
            assertEquals(1.0, actual / expected, LAYER_TOLERANCE,
                    kind + " " + name(l) + ": std " + actual + ", formula " + expected);
            for (double x : v) {
                sum += x / expected;
                sumSq += (x / expected) * (x / expected);
            }
            count += v.length;
        }
        double mean = sum / count;
        double pooledStd = Math.sqrt((sumSq - count * mean * mean) / (count - 1));
        assertEquals(1.0, pooledStd, pooledTolerance, kind + ": pooled std / formula over " + count + " values");
    }

    /** Uniform in +-bound: nothing outside, and (with 100 values or more) the extremes come close to it. */
    private static void assertWithinBound(String kind, List<Layer> layers, String param, ToDoubleFunction<Layer> bound) {
        for (Layer l : layers) {
            double b = bound.applyAsDouble(l);
            double max = l.getParam(param).amaxNumber().doubleValue();
            assertTrue(max <= b * (1 + 1e-6), kind + " " + name(l) + ": |value| " + max + " beyond the bound " + b);
            assertTrue(l.getParam(param).length() < 100 || max >= 0.9 * b, kind + " " + name(l) + ": |value| at most " + max + ", bound " + b);
        }
    }

    private static List<Layer> layers(ComputationGraph g, java.util.function.Predicate<Layer> kind) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : g.getLayers()) {
            if (kind.test(l)) {
                out.add(l);
            }
        }
        return out;
    }

    private static double torchBound(Layer l) {
        return 1.0 / Math.sqrt(fanIn(l));
    }

    @Test
    void resnetConvsAndClassifierAreKaimingNormalWithFanIn() {
        ComputationGraph g = build("resnet20", 100, SEED);
        List<Layer> convs = layers(g, InitialisationTest::isConv);
        List<Layer> linear = layers(g, InitialisationTest::isLinear);
        assertEquals(19, convs.size());
        assertStd("conv W", convs, "W", l -> Math.sqrt(2.0 / fanIn(l)), POOLED_TOLERANCE);
        assertStd("linear W", linear, "W", l -> Math.sqrt(2.0 / fanIn(l)), POOLED_TOLERANCE);
        // the classifier's bias keeps PyTorch's default
        assertWithinBound("linear b", linear, "b", InitialisationTest::torchBound);
        assertStd("linear b", linear, "b", l -> torchBound(l) / Math.sqrt(3), LAYER_TOLERANCE);
    }

    @Test
    void vggConvsAreKaimingNormalWithFanOutAndZeroBias() {
        ComputationGraph g = build("vgg16", 10, SEED);
        List<Layer> convs = layers(g, InitialisationTest::isConv);
        assertEquals(13, convs.size());
        assertStd("conv W", convs, "W", l -> Math.sqrt(2.0 / fanOut(l)), POOLED_TOLERANCE);
        for (Layer conv : convs) {
            assertEquals(0.0, conv.getParam("b").amaxNumber().doubleValue(), 0.0, name(conv) + " bias");
        }
    }

    @Test
    void vggLinearLayersKeepPytorchDefaults() {
        ComputationGraph g = build("vgg16", 10, SEED);
        List<Layer> linear = layers(g, InitialisationTest::isLinear);
        assertEquals(List.of("fc1", "fc2", "output"), linear.stream().map(InitialisationTest::name).toList());
        assertStd("linear W", linear, "W", l -> torchBound(l) / Math.sqrt(3), POOLED_TOLERANCE);
        assertWithinBound("linear W", linear, "W", InitialisationTest::torchBound);
        assertStd("linear b", linear.subList(0, 2), "b", l -> torchBound(l) / Math.sqrt(3), SMALL_POOL_TOLERANCE);
        assertWithinBound("linear b", linear, "b", InitialisationTest::torchBound);
    }

    @Test
    void natsLayersKeepPytorchDefaults() {
        ComputationGraph g = build("nats[C=16,N=1]:" + NATS_CELL, 100, SEED);
        List<Layer> convs = layers(g, InitialisationTest::isConv);
        List<Layer> linear = layers(g, InitialisationTest::isLinear);
        assertTrue(convs.stream().anyMatch(l -> l.getParam("W").size(2) == 1), "1x1 convs included");
        assertStd("conv W", convs, "W", l -> torchBound(l) / Math.sqrt(3), POOLED_TOLERANCE);
        assertWithinBound("conv W", convs, "W", InitialisationTest::torchBound);
        assertStd("linear W", linear, "W", l -> torchBound(l) / Math.sqrt(3), POOLED_TOLERANCE);
        assertWithinBound("linear W", linear, "W", InitialisationTest::torchBound);
        assertWithinBound("linear b", linear, "b", InitialisationTest::torchBound);
        assertStd("linear b", linear, "b", l -> torchBound(l) / Math.sqrt(3), LAYER_TOLERANCE);
    }

    @Test
    void batchNormStartsAtScaleOneAndShiftZeroInEveryFamily() {
        for (String spec : List.of("resnet8", "vgg11", "nats[C=8,N=1]:" + NATS_CELL)) {
            for (Layer bn : layers(build(spec, 10, SEED), InitialisationTest::isBatchNorm)) {
                INDArray gamma = bn.getParam("gamma");
                assertEquals(1.0, gamma.minNumber().doubleValue(), 0.0, spec + " " + name(bn));
                assertEquals(1.0, gamma.maxNumber().doubleValue(), 0.0, spec + " " + name(bn));
                assertEquals(0.0, bn.getParam("beta").amaxNumber().doubleValue(), 0.0, spec + " " + name(bn));
            }
        }
    }

    @Test
    void sameSeedSameNetworkOtherSeedOtherBiases() {
        ComputationGraph a = build("vgg:16,M,32", 10, 5);
        ComputationGraph b = build("vgg:16,M,32", 10, 5);
        ComputationGraph c = build("vgg:16,M,32", 10, 6);
        assertEquals(a.params(), b.params());
        assertTrue(!a.getLayer("fc1").getParam("b").equals(c.getLayer("fc1").getParam("b")), "fc1 biases differ by seed");
        assertTrue(!a.getLayer("conv1").getParam("W").equals(c.getLayer("conv1").getParam("W")), "conv1 weights differ by seed");
    }

    /**
     * The spread of the initial logits (before softmax) on 32 standard-normal images, as the first
     * training step sees them (batch statistics in BN, dropout on). PyTorch's own VGG-16 starts near 0.26;
     * He-normal on every linear layer gives about 4 and the network barely learns.
     */
    @ParameterizedTest
    @CsvSource({
            "vgg16, 0.1, 0.5",
            "vgg19, 0.1, 0.5",
            "resnet20, 0.5, 4.0",
            "'nats[C=16,N=2]:" + NATS_CELL + "', 0.05, 0.6"})
    void initialLogitSpread(String spec, double low, double high) {
        NetworkBlueprint bp = ModelSpec.parse(spec).blueprint(INPUT, 10);
        ComputationGraph g = Dl4jGraphFactory.create(bp, GraphSettings.inference(SEED));
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.FLOAT, 32, 3, 32, 32);
        Map<String, INDArray> acts = g.feedForward(x, true);
        String classifierInput = bp.nodesByName().get(bp.outputName()).inputs().get(0);
        Layer classifier = g.getLayer(bp.outputName());
        INDArray logits = acts.get(classifierInput).reshape(32, -1).mmul(classifier.getParam("W"))
                .addiRowVector(classifier.getParam("b"));
        double spread = logits.stdNumber().doubleValue();
        assertTrue(spread > low && spread < high, spec + ": initial logit std " + spread + " outside (" + low + ", " + high + ")");
    }
}
