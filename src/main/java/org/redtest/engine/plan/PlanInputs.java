package org.redtest.engine.plan;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.RedTestException;

/** Host-side conversions of the batches DL4J hands over. */
final class PlanInputs {
    private PlanInputs() {
    }

    /** The per-sample shape of an n x C x H x W batch. */
    static SampleShape shapeOf(INDArray features) {
        if (features.rank() != 4) {
            throw new RedTestException("the GPU engine takes image batches (n x C x H x W), got shape "
                    + java.util.Arrays.toString(features.shape()));
        }
        return new SampleShape((int) features.size(1), (int) features.size(2), (int) features.size(3));
    }

    /** The batch's values in C order, checked against the shape the plan was made for. */
    static float[] floats(INDArray features, SampleShape expected) {
        if (!shapeOf(features).equals(expected)) {
            throw new RedTestException("batch of shape " + java.util.Arrays.toString(features.shape())
                    + " for a network planned for " + expected + " samples");
        }
        return floats(features);
    }

    static float[] floats(INDArray array) {
        return array.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
}
