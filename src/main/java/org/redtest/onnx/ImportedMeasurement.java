package org.redtest.onnx;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.similarity.MsrsAccumulator;
import org.redtest.similarity.MsrsSummary;
import org.redtest.similarity.UnbiasedCka;

import java.util.List;

/**
 * Capture -> CKA -> MSRS for an imported model, batch by batch (only one batch's pooled IRs are held at a time),
 * with the same engine and summary as our own models.
 */
public record ImportedMeasurement(OnnxModel model, UnitChoice units, String images, int batchSize, MsrsSummary summary,
                                  double seconds) {
    public static ImportedMeasurement run(OnnxModel model, UnitChoice units, java.util.Map<String, long[]> shapes,
                                          List<INDArray> batches, String images, double beta, double gamma) {
        long start = System.nanoTime();
        try (OnnxCapture capture = OnnxCapture.open(model, units.tensors(), shapes)) {
            return measure(capture, units, batches, images, beta, gamma, start);
        }
    }

    /** With a capture already open (the benchmark times capture and CKA alone, as it times inference alone). */
    public static ImportedMeasurement run(OnnxCapture capture, UnitChoice units, List<INDArray> batches, String images,
                                          double beta, double gamma) {
        return measure(capture, units, batches, images, beta, gamma, System.nanoTime());
    }

    private static ImportedMeasurement measure(OnnxCapture capture, UnitChoice units, List<INDArray> batches,
                                               String images, double beta, double gamma, long start) {
        MsrsAccumulator accumulator = new MsrsAccumulator(beta, gamma);
        for (INDArray batch : batches) {
            accumulator.add(UnbiasedCka.matrix(units.tensors(), capture.capture(batch)));
        }
        return new ImportedMeasurement(capture.model(), units, images, (int) batches.get(0).size(0),
                accumulator.summarize(), (System.nanoTime() - start) / 1e9);
    }

    /** The model's identity in the results database: its file's SHA-256. */
    public String modelSpec() {
        return "onnx:sha256:" + model.sha256();
    }

    public String describe() {
        MsrsSummary s = summary;
        return String.format("MSRS of %s on %s: %.4f +- %.4f over %d batch(es) of %d (beta %s, gamma %s, %d units, %s)",
                model.file().getFileName(), images, s.mean(), s.std(), s.batches() - s.nanBatchesDropped(), batchSize,
                s.beta(), s.gamma(), s.units().size(), units.rule());
    }
}
