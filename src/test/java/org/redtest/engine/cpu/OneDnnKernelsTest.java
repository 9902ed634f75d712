package org.redtest.engine.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.engine.plan.JavaKernels;
import org.redtest.engine.plan.KernelCases;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU plan kernels: every operation against the plain-Java reference (with activations going in and
 * out in NCHW and living in the kernels' layouts between). Whole training steps against DL4J's own layer
 * code: {@code PlanEquivalenceTest}.
 */
class OneDnnKernelsTest {
    static {
        CpuAcceleration.configure();
    }

    @Test
    void everyOperationMatchesTheReference() {
        try (OneDnnKernels kernels = new OneDnnKernels(1)) {
            List<KernelCases.Result> results = KernelCases.compare(new JavaKernels(), kernels);
            assertEquals(KernelCases.names().size(), results.stream().map(KernelCases.Result::operation).distinct().count());
            for (KernelCases.Result r : results) {
                assertTrue(r.within(1e-4), r.operation() + " / " + r.output() + ": largest difference "
                        + r.largest() + " against values up to " + r.scale());
            }
        }
    }

    @Test
    void activationsTravelInNchwOrder() {
        try (OneDnnKernels kernels = new OneDnnKernels(1)) {
            var shape = new org.redtest.engine.plan.SampleShape(3, 2, 4);
            float[] nchw = new float[2 * shape.size()];
            for (int i = 0; i < nchw.length; i++) {
                nchw[i] = i;
            }
            var buffer = kernels.allocate(nchw.length);
            kernels.uploadActivation(nchw, shape, 2, buffer);
            float[] raw = kernels.download(buffer);
            assertEquals(8, raw[1], "the second value held is the first pixel's second channel");
            assertEquals(java.util.Arrays.toString(nchw), java.util.Arrays.toString(kernels.downloadActivation(buffer, shape, 2)));
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 4, 4", "3, 2, 4", "16, 1, 1"})
    void batchesEnterInTheKernelsOrder(int channels, int height, int width) {
        try (OneDnnKernels kernels = new OneDnnKernels(1)) {
            var shape = new org.redtest.engine.plan.SampleShape(channels, height, width);
            INDArray batch = Nd4j.rand(DataType.FLOAT, 3, channels, height, width);
            var buffer = kernels.allocate(batch.length());
            kernels.uploadBatch(batch, shape, buffer);
            assertEquals(java.util.Arrays.toString(batch.data().asFloat()),
                    java.util.Arrays.toString(kernels.downloadActivation(buffer, shape, 3)));
            var viaArray = kernels.allocate(batch.length());
            kernels.uploadActivation(batch.data().asFloat(), shape, 3, viaArray);
            assertEquals(java.util.Arrays.toString(kernels.download(viaArray)),
                    java.util.Arrays.toString(kernels.download(buffer)));
        }
    }

    /** The optimiser's factors change with the learning rate: more of them than the kernels keep primitives for. */
    @Test
    void longVectorsScaleByManyFactors() {
        try (OneDnnKernels kernels = new OneDnnKernels(1)) {
            int length = 100_000;
            float[] x = new float[length];
            for (int i = 0; i < length; i++) {
                x[i] = (i % 17) - 8;
            }
            var in = kernels.allocate(length);
            var out = kernels.allocate(length);
            kernels.upload(x, in);
            for (int round = 0; round < 2; round++) {
                for (int f = 1; f <= 20; f++) {
                    double factor = 0.05 * f;
                    kernels.scale(factor, in, out, false);
                    float[] y = kernels.download(out);
                    for (int i = 0; i < length; i += 997) {
                        assertEquals(factor * x[i], y[i], 1e-5, "factor " + factor + " at " + i);
                    }
                }
            }
        }
    }
}
