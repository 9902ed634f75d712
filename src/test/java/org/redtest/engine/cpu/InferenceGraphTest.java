package org.redtest.engine.cpu;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which batch norms {@link InferenceGraph} folds, and that what stays visible keeps its values. */
class InferenceGraphTest {
    static {
        CpuAcceleration.configure();
    }

    @Test
    void foldsEveryBatchNormOfAResNetAndEveryReluThatAloneReadsOneOrASum() {
        NetworkBlueprint bp = ModelSpec.parse("resnet:1-1-1").blueprint(new Shape(3, 16, 16), 4);
        List<InferenceGraph.Chain> chains = InferenceGraph.chains(
                Dl4jGraphFactory.configuration(bp, new GraphSettings(1, new Nesterovs(0.05, 0.9), 0)));
        // the stem and two convolutions per block, each followed by its own batch norm
        assertEquals(7, chains.size(), chains.toString());
        // the stem's ReLU and each block's inner one; the block outputs' ReLUs read the sum, not a batch norm
        assertEquals(4, chains.stream().filter(c -> c.relu() != null).count(), chains.toString());
        // and those block outputs' ReLUs are applied by the sums
        assertEquals(3, InferenceGraph.sumRelus(Dl4jGraphFactory.configuration(bp,
                new GraphSettings(1, new Nesterovs(0.05, 0.9), 0))).size());
    }

    /** Measured VGG units are convolution outputs before their batch norm: those stay unfolded. */
    @Test
    void keepsTappedConvolutionOutputs() {
        NetworkBlueprint bp = ModelSpec.parse("vgg:8,M,16,16,M").blueprint(new Shape(3, 16, 16), 4);
        Set<String> units = bp.units().stream().map(u -> u.vertex()).collect(Collectors.toSet());
        List<InferenceGraph.Chain> chains = InferenceGraph.chains(Dl4jGraphFactory.measurementConfiguration(bp));
        assertTrue(chains.stream().noneMatch(c -> units.contains(c.conv()) || units.contains(c.batchNorm())),
                "no tapped vertex folded away: " + chains + " units " + units);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet:1-1-1", "vgg:8,M,16,16,M",
            "nats[C=16,N=1]:|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|none~0|nor_conv_3x3~1|skip_connect~2|"})
    void measurementTapsKeepTheirValues(String spec) {
        Assumptions.assumeTrue(CpuAcceleration.status().oneDnnHelpersActive(), "needs DL4J's oneDNN helpers");
        NetworkBlueprint bp = ModelSpec.parse(spec).blueprint(new Shape(3, 16, 16), 4);
        ComputationGraph trained = trainedAFewSteps(bp);
        ComputationGraph tapped = new ComputationGraph(Dl4jGraphFactory.measurementConfiguration(bp));
        tapped.init();
        for (var layer : trained.getLayers()) {
            if (layer.numParams() > 0) {
                tapped.getLayer(layer.conf().getLayer().getLayerName()).setParams(layer.params());
            }
        }
        FastCpuPath.install(tapped);
        INDArray probe = Nd4j.rand(DataType.FLOAT, 5, 3, 16, 16);
        try (BlockedScope ignored = BlockedScope.open(); InferenceGraph folded = InferenceGraph.of(tapped)) {
            INDArray expected = tapped.outputSingle(false, probe);
            folded.graph().outputSingle(false, probe.mul(2)); // another batch first: the weights reordered once stay right
            INDArray actual = folded.graph().outputSingle(false, probe);
            double diff = expected.sub(actual).amaxNumber().doubleValue();
            double scale = Math.max(1, expected.amaxNumber().doubleValue());
            assertTrue(diff <= 1e-4 * scale, spec + ": pooled taps differ by " + diff);
            assertTrue(folded.folds() > 0 || spec.startsWith("vgg"), spec + ": something folded");
        }
    }

    @Test
    void stockPathRunsTheTrainedGraphItself() {
        NetworkBlueprint bp = ModelSpec.parse("resnet:1-1-1").blueprint(new Shape(3, 16, 16), 4);
        ComputationGraph stock = FastCpuPath.buildOn(FastCpuPath.LayerPath.STOCK, () ->
                Dl4jGraphFactory.create(bp, new GraphSettings(1, new Nesterovs(0.05, 0.9), 0)));
        try (InferenceGraph inference = InferenceGraph.of(stock)) {
            assertSame(stock, inference.graph());
            assertEquals(0, inference.folds());
        }
    }

    /** A few steps move the BN running statistics away from 0 and 1, so that folding them is tested. */
    private static ComputationGraph trainedAFewSteps(NetworkBlueprint bp) {
        ComputationGraph g = FastCpuPath.install(Dl4jGraphFactory.create(bp, new GraphSettings(3, new Nesterovs(0.05, 0.9), 5e-4)));
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 16, 16).muli(3).subi(1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 4);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 4, 1.0);
        }
        for (int i = 0; i < 3; i++) {
            g.fit(new DataSet(x, y));
        }
        return g;
    }
}
