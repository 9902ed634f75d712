package org.redtest.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Optional;

/** Runs one graph forward in inference mode (batch norm on its running statistics, no dropout). */
public interface InferenceSession extends AutoCloseable {
    /**
     * The graph's single output for {@code features} (n x C x H x W): class probabilities for a classifier,
     * the pooled unit activations (n x sum of widths) for a measurement graph. Detached from any
     * workspace; the caller owns it.
     */
    INDArray output(INDArray features);

    /**
     * For a graph whose output is n x (w1 + w2 + ...): each column block's n x n Gram matrix over the
     * batch, formed where the network ran, after subtracting the block's first row from its rows (which
     * leaves the unbiased HSIC unchanged; see the CKA engine). Row-major doubles. Empty when the engine
     * leaves this to the CPU, which then forms them from {@link #output}.
     */
    default Optional<List<double[]>> blockGrams(INDArray features, int[] widths) {
        return Optional.empty();
    }

    @Override
    void close();
}
