package org.redtest.bench;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.onnx.ImportedMeasurement;
import org.redtest.onnx.ModelImages;
import org.redtest.onnx.OnnxCapture;
import org.redtest.onnx.OnnxModel;
import org.redtest.onnx.OnnxSession;
import org.redtest.onnx.OnnxUnits;
import org.redtest.onnx.UnitChoice;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code msrs --onnx} against ONNX Runtime's plain inference of the same model on the same images: the whole
 * measurement (the model with its pooling taps, CKA, MSRS) against a session of the unchanged model, side by side
 * in three rounds after a warm-up (both sessions opened before); the median round's ratio is the cost of capture
 * and CKA.
 */
public final class OnnxMsrsBenchmark {
    private OnnxMsrsBenchmark() {
    }

    public static Map<String, Object> run(Path modelFile, Path imagesFile, int batches, int batchSize, PrintWriter out) {
        OnnxModel model = OnnxModel.read(modelFile);
        INDArray images = ModelImages.fit(ModelImages.readNpy(imagesFile), model.input(), false, imagesFile.toString());
        List<INDArray> cut = ModelImages.batches(images, batches, batchSize);
        UnitChoice units = OnnxUnits.auto(model, OnnxCapture.shapes(model, OnnxUnits.candidates(model)));
        Map<String, long[]> shapes = OnnxCapture.shapes(model, units.tensors());
        double gamma = units.gamma() != null ? units.gamma() : 0.8;
        out.printf("%s (%d units, %s) on %d batches of %d images %s%n", modelFile.getFileName(), units.tensors().size(),
                units.rule(), cut.size(), batchSize, Arrays.toString(images.shape()));
        double[] ratios = new double[3];
        double[] plainSeconds = new double[3];
        double[] msrsSeconds = new double[3];
        // both sessions are opened before the rounds: what is timed is inference against capture + CKA + MSRS
        try (OnnxSession plain = new OnnxSession(model.proto(), model.input().name(), modelFile.toString());
             OnnxCapture capture = OnnxCapture.open(model, units.tensors(), shapes)) {
            cut.forEach(b -> plain.run(b.dup('c').data().asFloat(), b.shape())); // warm-up
            ImportedMeasurement.run(capture, units, cut.subList(0, 1), "warm-up", 100, gamma);
            for (int r = 0; r < ratios.length; r++) {
                long t0 = System.nanoTime();
                cut.forEach(b -> plain.run(b.dup('c').data().asFloat(), b.shape()));
                plainSeconds[r] = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                ImportedMeasurement.run(capture, units, cut, imagesFile.getFileName().toString(), 100, gamma);
                msrsSeconds[r] = (System.nanoTime() - t0) / 1e9;
                ratios[r] = msrsSeconds[r] / plainSeconds[r];
                out.printf("  round %d: ONNX Runtime inference %7.3f s, msrs --onnx %7.3f s, ratio %.2f%n", r + 1,
                        plainSeconds[r], msrsSeconds[r], ratios[r]);
            }
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        out.printf("  median ratio %.2f (target <= 1.5)%n", sorted[1]);
        out.flush();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("model", modelFile.toString());
        figures.put("batches", cut.size());
        figures.put("batch_size", batchSize);
        figures.put("inference_seconds", plainSeconds);
        figures.put("msrs_seconds", msrsSeconds);
        figures.put("ratios", ratios);
        figures.put("median_ratio", sorted[1]);
        return figures;
    }
}
