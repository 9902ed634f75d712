package org.redtest.runtime;

import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which activations stay channel-blocked, and the layout rewrite the fallbacks rely on. */
class BlockedLayoutsTest {
    static {
        CpuAcceleration.configure();
    }

    @Test
    void relayoutPutsEachChannelInItsBlockAndBack() {
        Assumptions.assumeTrue(oneDnnLoads(), "needs oneDNN's Java bindings");
        int n = 2, c = 32, h = 3, w = 5;
        INDArray plain = Nd4j.rand(DataType.FLOAT, n, c, h, w);
        INDArray blocked = OneDnn.relayout(plain, OneDnn.PLAIN, OneDnn.blockedTag(16), plain.ulike());
        float[] b = blocked.data().asFloat();
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int index = (((i * (c / 16) + ch / 16) * h + y) * w + x) * 16 + ch % 16;
                        assertEquals(plain.getFloat(i, ch, y, x), b[index], 0f, "element " + i + "," + ch + "," + y + "," + x);
                    }
                }
            }
        }
        INDArray back = OneDnn.relayout(blocked, OneDnn.blockedTag(16), OneDnn.PLAIN, plain.ulike());
        assertEquals(plain, back);
    }

    @Test
    void resNetKeepsBlockInteriorsBlockedAndTheResidualStreamPlain() {
        Assumptions.assumeTrue(CpuAcceleration.status().oneDnnHelpersActive() && oneDnnLoads(), "needs oneDNN");
        Assumptions.assumeTrue(OneDnn.preferredChannelBlock() > 0, "oneDNN prefers no channel block on this CPU");
        NetworkBlueprint bp = ModelSpec.parse("resnet:2-1-1").blueprint(new Shape(3, 16, 16), 4);
        ComputationGraph graph = FastCpuPath.buildOn(FastCpuPath.LayerPath.FAST,
                () -> Dl4jGraphFactory.create(bp, new GraphSettings(5, new Nesterovs(0.05, 0.9), 5e-4)));
        Set<String> ours = new HashSet<>();
        for (var layer : graph.getLayers()) {
            if (layer instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer
                    || layer.conf().getLayer() instanceof BatchNormalization) {
                ours.add(layer.conf().getLayer().getLayerName());
            }
        }
        Set<String> blocked = BlockedLayouts.of(graph, ours, OneDnn.preferredChannelBlock());
        // inside a block: conv -> BN -> ReLU -> conv -> BN never leaves our layers
        for (String v : new String[]{"s1.b1.conv1", "s1.b1.bn1", "s1.b1.relu1", "s1.b1.conv2", "s1.b2.conv1"}) {
            assertTrue(blocked.contains(v), v + " blocked");
        }
        // the first stage's residual stream ends in stage 2's channel-padding shortcut, the last in global pooling
        for (String v : new String[]{"stem.relu", "s1.b1", "s1.b1.add", "s1.b2", "s1.b2.bn2", "s3.b1", "input"}) {
            assertFalse(blocked.contains(v), v + " plain");
        }
        assertTrue(FastCpuPath.blockedLayerCount(graph) > 0);
    }

    @Test
    void theSwitchKeepsEveryActivationPlain() {
        Assumptions.assumeTrue(CpuAcceleration.status().oneDnnHelpersActive() && oneDnnLoads(), "needs oneDNN");
        NetworkBlueprint bp = ModelSpec.parse("resnet:1-1-1").blueprint(new Shape(3, 16, 16), 4);
        ComputationGraph graph = SystemProperties.with(BlockedLayouts.PROPERTY, "false", () -> FastCpuPath.buildOn(
                FastCpuPath.LayerPath.FAST,
                () -> Dl4jGraphFactory.create(bp, new GraphSettings(5, new Nesterovs(0.05, 0.9), 5e-4))));
        assertTrue(FastCpuPath.directConvolutionCount(graph) > 0);
        assertEquals(0, FastCpuPath.blockedLayerCount(graph));
    }

    private static boolean oneDnnLoads() {
        try {
            OneDnn.ensureLoaded();
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
