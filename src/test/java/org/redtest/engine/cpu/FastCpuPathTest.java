package org.redtest.engine.cpu;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FastCpuPathTest {
    static {
        CpuAcceleration.configure();
    }

    @Test
    void batchStatisticsMatchNd4jReductions() {
        Nd4j.getRandom().setSeed(3);
        // a large mean, where a one-pass E[x^2] - mean^2 would lose digits, and a view with an offset
        INDArray whole = Nd4j.rand(DataType.FLOAT, 7, 5, 6, 6).muli(2).addi(40);
        INDArray copy = whole.get(NDArrayIndex.interval(2, 7)).dup('c');
        INDArray view = whole.get(NDArrayIndex.interval(2, 7));
        for (INDArray input : new INDArray[]{copy, view}) {
            assertTrue(FastBatchNormHelper.isDenseFloatNchw(input, CNN2DFormat.NCHW));
            INDArray mean = Nd4j.create(DataType.FLOAT, 5);
            INDArray var = Nd4j.create(DataType.FLOAT, 5);
            FastBatchNormHelper.computeStatistics(input, mean, var);
            INDArray asDouble = input.castTo(DataType.DOUBLE);
            INDArray expectedMean = asDouble.mean(0, 2, 3);
            INDArray expectedVar = Nd4j.exec(new Variance(asDouble, false, 0, 2, 3));
            for (int c = 0; c < 5; c++) {
                assertEquals(expectedMean.getDouble(c), mean.getDouble(c), 1e-5, "mean of channel " + c);
                assertEquals(expectedVar.getDouble(c), var.getDouble(c), 1e-5, "variance of channel " + c);
            }
        }
        assertFalse(FastBatchNormHelper.isDenseFloatNchw(copy, CNN2DFormat.NHWC), "NHWC goes to the stock code");
        assertFalse(FastBatchNormHelper.isDenseFloatNchw(copy.permute(0, 1, 3, 2), CNN2DFormat.NCHW),
                "a strided view goes to the stock code");
    }

    @Test
    void trainingMatchesDl4jsOwnHelper() {
        Assumptions.assumeTrue(CpuAcceleration.status().oneDnnHelpersActive(), "needs DL4J's oneDNN helpers");
        ComputationGraph ours = graph(true);
        ComputationGraph stock = graph(false);
        assertTrue(FastCpuPath.installedCount(ours) > 0, "fast statistics installed");
        assertEquals(0, FastCpuPath.installedCount(stock));
        assertInstanceOf(MKLDNNBatchNormHelper.class, ((BatchNormalization) stock.getLayer("stem.bn")).getHelper());
        assertEquals(stock.params(), ours.params());

        Nd4j.getRandom().setSeed(11);
        INDArray features = Nd4j.rand(DataType.FLOAT, 16, 3, 16, 16).muli(2).subi(0.5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 16, 4);
        for (int i = 0; i < 16; i++) {
            labels.putScalar(i, i % 4, 1.0);
        }
        DataSet batch = new DataSet(features, labels);
        for (int step = 0; step < 3; step++) {
            ours.fit(batch);
            stock.fit(batch);
            assertEquals(stock.score(), ours.score(), 1e-4 * Math.max(1, stock.score()), "loss at step " + step);
        }
        // the parameters include every BN layer's running mean and variance
        double paramDiff = ours.params().sub(stock.params()).amaxNumber().doubleValue();
        assertTrue(paramDiff < 1e-4, "largest parameter difference after 3 steps: " + paramDiff);
        INDArray probe = Nd4j.rand(DataType.FLOAT, 4, 3, 16, 16);
        double outDiff = ours.outputSingle(probe).sub(stock.outputSingle(probe)).amaxNumber().doubleValue();
        assertTrue(outDiff < 1e-4, "largest output difference: " + outDiff);
    }

    /**
     * Seed 6: with seed 5 one stem ReLU input sits 1.5e-8 from zero before the third step and the two
     * paths' rounding puts it on different sides, moving one BN shift by 1e-4. That is a kink of ReLU,
     * not a difference in the statistics (every other seed tried agrees to 5e-7).
     */
    private static ComputationGraph graph(boolean fast) {
        NetworkBlueprint bp = ModelSpec.parse("resnet:1-1-1").blueprint(new Shape(3, 16, 16), 4);
        ComputationGraph g = FastCpuPath.buildOn(fast ? FastCpuPath.LayerPath.FAST : FastCpuPath.LayerPath.DL4J_HELPERS,
                () -> Dl4jGraphFactory.create(bp, new GraphSettings(6, new Nesterovs(0.05, 0.9), 5e-4)));
        return fast ? FastCpuPath.install(g) : g;
    }
}
