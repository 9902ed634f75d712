package org.redtest.engine.cpu;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.Shape;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which sums hand all inputs one gradient array: a ResNet's identity blocks (second batch norm and the block's
 * input), not its down-sampling blocks (the shortcut is a graph vertex that may pass on views). That the
 * gradients stay right is {@link FastCpuPathEquivalenceTest}'s part.
 */
class SumGradientSharingTest {
    static {
        CpuAcceleration.configure();
    }

    @ParameterizedTest
    @CsvSource({"resnet:1-1-1, 3, 1", "resnet:2-2-2, 6, 4"})
    void identityBlocksShareTheirGradient(String spec, int sums, int sharing) {
        Assumptions.assumeTrue(CpuAcceleration.status().oneDnnHelpersActive(), "needs DL4J's oneDNN helpers");
        ComputationGraph g = FastCpuPath.install(Dl4jGraphFactory.create(
                ModelSpec.parse(spec).blueprint(new Shape(3, 16, 16), 4), new GraphSettings(1, new Nesterovs(0.05, 0.9), 0)));
        assertEquals(sums, FastCpuPath.leanSumCount(g));
        assertEquals(sharing, Arrays.stream(g.getVertices())
                .filter(v -> v instanceof LeanSumVertex s && s.sharesGradient()).count());
    }
}
