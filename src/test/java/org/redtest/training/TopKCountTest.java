package org.redtest.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.ImageDataset;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.testing.TinyData;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.Shape;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 25: accuracy as PyTorch's argmax/topk judges it, never in the model's favour. */
class TopKCountTest {
    static {
        CpuAcceleration.configure();
    }

    private static final float NAN = Float.NaN;

    @Test
    void aNetworkWithNanWeightsScoresZeroNotHundredPercent() {
        ImageDataset test = TinyData.learnable(24, 1, 8, 3, 2);
        var t = new org.redtest.config.TrainingConfig(1, 8, 0.01, 0.9, 0.0, List.of(5), 0.1, 8);
        ComputationGraph g = Dl4jGraphFactory.create(ModelSpec.parse("resnet:1-1-1").blueprint(new Shape(1, 8, 8), 3),
                new GraphSettings(5, Trainer.updater(t), 0.0));
        g.params().assign(Float.NaN);
        EvaluationResult r = Evaluator.evaluate(g, new ImageBatchIterator(test, 8, false, false,
                ChannelNormalization.fromData(test), 1));
        assertEquals(0.0, r.top1());
        assertEquals(0.0, r.top5());
    }

    @Test
    void aNonFiniteScoreIsNeverCorrect() {
        float[] allNan = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
        for (int label = 0; label < 10; label++) {
            assertFalse(TopKCount.inTopK(allNan, label, 1));
            assertFalse(TopKCount.inTopK(allNan, label, 5));
        }
        assertFalse(TopKCount.inTopK(new float[]{Float.POSITIVE_INFINITY, 0, 0}, 0, 1));
        assertFalse(TopKCount.inTopK(new float[]{0.1f, NAN, 0.2f}, 2, 1), "argmax picks the NaN");
        assertTrue(TopKCount.inTopK(new float[]{0.1f, NAN, 0.2f}, 2, 2));
    }

    @Test
    void tiesNeverFavourTheTrueClass() {
        float[] saturated = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        assertFalse(TopKCount.inTopK(saturated, 3, 5), "a saturated softmax is not top-5 for every class");
        assertFalse(TopKCount.inTopK(new float[]{0.5f, 0.5f, 0}, 0, 1));
        assertTrue(TopKCount.inTopK(new float[]{0.5f, 0.5f, 0}, 0, 2));
        assertTrue(TopKCount.inTopK(new float[]{0.2f, 0.7f, 0.1f}, 1, 1));
        assertFalse(TopKCount.inTopK(new float[]{0.2f, 0.7f, 0.1f}, 0, 1));
    }
}
