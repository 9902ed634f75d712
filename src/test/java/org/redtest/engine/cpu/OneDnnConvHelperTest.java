package org.redtest.engine.cpu;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct oneDNN convolution against DL4J's own oneDNN helper on single calls: shapes it handles
 * (strides, padding, odd sizes, 1x1 and 5x5 kernels, bias) and one it hands back to DL4J's helper
 * (same-mode padding), which must give DL4J's result rather than fail. (Dilation also goes back to
 * DL4J, whose own oneDNN helper cannot build dilated convolutions in 1.0.0-M2.1.)
 */
class OneDnnConvHelperTest {
    @BeforeAll
    static void oneDnn() {
        CpuAcceleration.configure();
        Assumptions.assumeTrue(CpuAcceleration.status().oneDnnHelpersActive(), "needs the oneDNN CPU build");
    }

    @ParameterizedTest
    @CsvSource({
            // channels in, out, size, kernel, stride, pad, dilation, mode
            "3, 16, 9, 3, 1, 1, 1, Truncate",
            "16, 32, 8, 3, 2, 1, 1, Truncate",
            "5, 7, 11, 1, 1, 0, 1, Truncate",
            "8, 8, 10, 5, 1, 2, 1, Truncate",
            "8, 8, 10, 3, 1, 0, 1, Same"})
    void forwardMatchesDl4jsHelper(int in, int out, int size, int kernel, int stride, int pad, int dilation,
                                   ConvolutionMode mode) {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, in, size, size).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, out, in, kernel, kernel).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 1, out);
        int[] k = {kernel, kernel};
        int[] s = {stride, stride};
        int[] p = {pad, pad};
        int[] d = {dilation, dilation};
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        INDArray ours = new OneDnnConvHelper(null, DataType.FLOAT, true, false).preOutput(x, w, b, k, s, p, null, null, mode, d,
                CNN2DFormat.NCHW, ws);
        INDArray dl4j = new MKLDNNConvHelper(DataType.FLOAT).preOutput(x, w, b, k, s, p, null, null, mode, d,
                CNN2DFormat.NCHW, ws);
        assertArrayEquals(dl4j.shape(), ours.shape(), "output shape");
        double diff = ours.sub(dl4j).amaxNumber().doubleValue();
        assertTrue(diff < 1e-4, "largest difference from DL4J's helper: " + diff);
    }
}
