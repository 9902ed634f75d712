package org.redtest.onnx;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.similarity.CkaMatrix;
import org.redtest.similarity.UnbiasedCka;

import java.util.ArrayList;
import java.util.List;

/**
 * Two models' units compared on the same images: the rectangular matrix of unbiased CKA between every unit of the
 * first and every unit of the second, averaged over the batches (torch_cka's picture, for original against pruned
 * or seed against seed). Each batch's CKA comes from one run of our engine over both models' units together.
 */
public record ModelComparison(OnnxModel first, UnitChoice firstUnits, OnnxModel against, UnitChoice againstUnits,
                              String images, int batches, int batchSize, double[][] cka) {
    public static ModelComparison run(OnnxModel first, UnitChoice firstUnits, OnnxModel against, UnitChoice againstUnits,
                                      List<INDArray> batches, String images) {
        List<String> a = firstUnits.tensors();
        List<String> b = againstUnits.tensors();
        List<String> names = new ArrayList<>();
        a.forEach(u -> names.add("first/" + u));
        b.forEach(u -> names.add("against/" + u));
        double[][] sum = new double[a.size()][b.size()];
        try (OnnxCapture ca = OnnxCapture.open(first, a, OnnxCapture.shapes(first, a));
             OnnxCapture cb = OnnxCapture.open(against, b, OnnxCapture.shapes(against, b))) {
            for (INDArray batch : batches) {
                List<INDArray> irs = new ArrayList<>(ca.capture(batch));
                irs.addAll(cb.capture(batch));
                CkaMatrix both = UnbiasedCka.matrix(names, irs);
                for (int i = 0; i < a.size(); i++) {
                    for (int j = 0; j < b.size(); j++) {
                        sum[i][j] += both.get(i, a.size() + j);
                    }
                }
            }
        }
        for (double[] row : sum) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= batches.size();
            }
        }
        return new ModelComparison(first, firstUnits, against, againstUnits, images, batches.size(),
                (int) batches.get(0).size(0), sum);
    }
}
