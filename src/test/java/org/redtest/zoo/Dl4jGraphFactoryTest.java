package org.redtest.zoo;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.engine.cpu.CpuAcceleration;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dl4jGraphFactoryTest {
    static {
        CpuAcceleration.configure();
    }

    private static ComputationGraph build(String spec, Shape input, int classes) {
        NetworkBlueprint bp = ModelSpec.parse(spec).blueprint(input, classes);
        return Dl4jGraphFactory.create(bp, GraphSettings.inference(7));
    }

    /** DL4J also stores BN running mean and variance as parameters; the blueprint counts trainables only. */
    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "resnet:2-1-3", "vgg11", "vgg:16,M,32",
            "nats[C=8,N=1]:|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|skip_connect~2|",
            "nats[C=4,N=1]:|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|"})
    void dl4jParameterCountMatchesBlueprint(String spec) {
        Shape input = new Shape(1, 32, 32);
        NetworkBlueprint bp = ModelSpec.parse(spec).blueprint(input, 7);
        ComputationGraph graph = Dl4jGraphFactory.create(bp, GraphSettings.inference(1));
        assertEquals(Dl4jGraphFactory.expectedParameterCount(bp), graph.numParams());
        INDArray out = graph.outputSingle(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 1, 32, 32));
        assertArrayEquals(new long[]{2, 7}, out.shape());
        assertEquals(2.0, out.sumNumber().doubleValue(), 1e-4, "softmax rows sum to 1");
    }

    @Test
    void everyUnitVertexExistsWithItsBlueprintShape() {
        NetworkBlueprint bp = ModelSpec.parse("resnet:1-2-1").blueprint(new Shape(3, 16, 16), 10);
        ComputationGraph graph = Dl4jGraphFactory.create(bp, GraphSettings.inference(1));
        Map<String, INDArray> acts = graph.feedForward(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 16, 16), false);
        Map<String, Node> nodes = bp.nodesByName();
        for (Unit unit : bp.units()) {
            Shape s = nodes.get(unit.vertex()).output();
            assertArrayEquals(new long[]{2, s.channels(), s.height(), s.width()}, acts.get(unit.vertex()).shape(), unit.name());
        }
    }

    /** Option A: identity channels are x[:, :, ::2, ::2], the rest zeros. */
    @Test
    void shortcutAIsSubsampledIdentityPlusZeroChannels() {
        ComputationGraph graph = build("resnet:1-1-1", new Shape(3, 8, 8), 10);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 8, 8);
        Map<String, INDArray> acts = graph.feedForward(x, false);
        INDArray in = acts.get("s1.b1");
        INDArray shortcut = acts.get("s2.b1.shortcut");
        assertArrayEquals(new long[]{2, 32, 4, 4}, shortcut.shape());
        for (int c = 0; c < 16; c++) {
            for (int h = 0; h < 4; h++) {
                for (int w = 0; w < 4; w++) {
                    assertEquals(in.getDouble(1, c, 2 * h, 2 * w), shortcut.getDouble(1, c, h, w), 0.0);
                    assertEquals(0.0, shortcut.getDouble(1, 16 + c, h, w), 0.0);
                }
            }
        }
    }

    /** NATS avg_pool_3x3 divides by the number of real pixels (count_include_pad=False). */
    @Test
    void natsAveragePoolExcludesPadding() {
        ComputationGraph graph = build("nats[C=2,N=1]:|avg_pool_3x3~0|+|none~0|none~1|+|none~0|skip_connect~1|none~2|",
                new Shape(1, 4, 4), 3);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, 4, 4);
        Map<String, INDArray> acts = graph.feedForward(x, false);
        INDArray in = acts.get("stem.bn");
        INDArray pooled = acts.get("cell1.e01.pool");
        double corner = (in.getDouble(0, 0, 0, 0) + in.getDouble(0, 0, 0, 1) + in.getDouble(0, 0, 1, 0) + in.getDouble(0, 0, 1, 1)) / 4;
        assertEquals(corner, pooled.getDouble(0, 0, 0, 0), 1e-5);
    }

    /**
     * Regression: DL4J applies an ActivationLayer's ReLU in place at inference. A NATS skip edge that
     * shares its input with a ReLU-conv edge must still carry the negative values.
     */
    @Test
    void skipEdgeKeepsNegativeValuesBesideAReluEdge() {
        ComputationGraph graph = build("nats[C=4,N=1]:|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|",
                new Shape(1, 8, 8), 3);
        Map<String, INDArray> acts = graph.feedForward(Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1, 8, 8), false);
        INDArray stem = acts.get("stem.bn");
        assertTrue(stem.minNumber().doubleValue() < 0, "BN output of random input has negative values");
        assertEquals(0.0, stem.sub(acts.get("cell1")).amaxNumber().doubleValue(), 0.0, "cell1 = skip(stem)");
    }

    /** Dead NATS nodes count in Params (as in NATS-Bench) but are left out of the graph, which then trains. */
    @Test
    void natsCellWithADeadNodeTrains() {
        String spec = "nats[C=4,N=1]:|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|";
        NetworkBlueprint bp = ModelSpec.parse(spec).blueprint(new Shape(1, 8, 8), 3);
        assertTrue(bp.params() > bp.liveNodes().stream().mapToLong(Node::params).sum(), "the dead 0->1 conv is counted");
        ComputationGraph graph = Dl4jGraphFactory.create(bp, GraphSettings.inference(1));
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1, 8, 8);
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0);
        graph.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
        assertTrue(Double.isFinite(graph.score()));
    }

    /** The fast CPU path of issue 2: DL4J's oneDNN helpers must be in use (see CpuAcceleration). */
    @Test
    void oneDnnHelpersAreActive() {
        org.junit.jupiter.api.Assumptions.assumeTrue("CPU".equalsIgnoreCase(CpuAcceleration.status().backend()),
                "oneDNN helpers belong to the CPU backend");
        assertTrue(CpuAcceleration.status().oneDnnHelpersActive(), CpuAcceleration.status().describe());
        ComputationGraph graph = build("resnet8", new Shape(3, 32, 32), 10);
        graph.outputSingle(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 32, 32));
        Layer conv = graph.getLayer("stem.conv");
        assertInstanceOf(MKLDNNConvHelper.class, ((ConvolutionLayer) conv).getHelper());
    }
}
