package org.redtest.engine.cpu;

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
    void resNetKeepsEveryConvolutionalActivationBlockedAndOnlyTheInputAndTheHeadPlain() {
        Assumptions.assumeTrue(CpuAcceleration.status().oneDnnHelpersActive() && oneDnnLoads(), "needs oneDNN");
        Assumptions.assumeTrue(OneDnn.preferredChannelBlock() == 16, "the names below assume 16-channel blocks");
        NetworkBlueprint bp = ModelSpec.parse("resnet:2-1-1").blueprint(new Shape(3, 16, 16), 4);
        ComputationGraph graph = FastCpuPath.install(FastCpuPath.buildOn(FastCpuPath.LayerPath.FAST,
                () -> Dl4jGraphFactory.create(bp, new GraphSettings(5, new Nesterovs(0.05, 0.9), 5e-4))));
        Set<String> blocked = BlockedLayouts.of(graph, OneDnn.preferredChannelBlock());
        // block interiors, the residual streams, and the channel-padding shortcut (subsampling read
        // through the adapter, zeros, a subset and a concatenation of whole 16-channel blocks)
        for (String v : new String[]{"stem.conv", "stem.relu", "s1.b1.conv1", "s1.b1.relu1", "s1.b1.add", "s1.b1",
                "s1.b2.bn2", "s1.b2", "s2.b1.shortcut", "s2.b1", "s3.b1"}) {
            assertTrue(blocked.contains(v), v + " blocked");
        }
        // the network's input (3 channels) and everything after the global pooling
        for (String v : new String[]{"input", "pool", "output"}) {
            assertFalse(blocked.contains(v), v + " plain");
        }
        assertTrue(FastCpuPath.blockedLayerCount(graph) > 0);
    }

    @Test
    void aConcatenationOfPartialBlocksAndWidthsOffTheBlockStayPlain() {
        Assumptions.assumeTrue(CpuAcceleration.status().oneDnnHelpersActive() && oneDnnLoads(), "needs oneDNN");
        NetworkBlueprint bp = ModelSpec.parse("resnet:1-1-1").blueprint(new Shape(3, 16, 16), 4);
        ComputationGraph graph = FastCpuPath.install(FastCpuPath.buildOn(FastCpuPath.LayerPath.FAST,
                () -> Dl4jGraphFactory.create(bp, new GraphSettings(5, new Nesterovs(0.05, 0.9), 5e-4))));
        // with 32-channel blocks: stage 1 (16 channels) is off the block, and stage 2's shortcut
        // concatenates two 16-channel halves, so stage 2's stream stays plain; its block interior does not
        Set<String> blocked = BlockedLayouts.of(graph, 32);
        for (String v : new String[]{"stem.relu", "s1.b1.conv1", "s1.b1", "s2.b1.shortcut", "s2.b1.add", "s2.b1"}) {
            assertFalse(blocked.contains(v), v + " plain");
        }
        for (String v : new String[]{"s2.b1.conv1", "s2.b1.relu1", "s3.b1.conv1"}) {
            assertTrue(blocked.contains(v), v + " blocked");
        }
    }

    @Test
    void theSwitchKeepsEveryActivationPlain() {
        Assumptions.assumeTrue(CpuAcceleration.status().oneDnnHelpersActive() && oneDnnLoads(), "needs oneDNN");
        NetworkBlueprint bp = ModelSpec.parse("resnet:1-1-1").blueprint(new Shape(3, 16, 16), 4);
        ComputationGraph graph = SystemProperties.with(BlockedLayouts.PROPERTY, "false", () -> FastCpuPath.install(
                FastCpuPath.buildOn(FastCpuPath.LayerPath.FAST,
                        () -> Dl4jGraphFactory.create(bp, new GraphSettings(5, new Nesterovs(0.05, 0.9), 5e-4)))));
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
