package org.redtest.measure;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.ImageDataset;
import org.redtest.similarity.MsrsAccumulator;
import org.redtest.similarity.MsrsSummary;
import org.redtest.console.Progress;
import org.redtest.console.ProgressBars;
import org.redtest.training.TrainedModel;
import org.redtest.zoo.NetworkBlueprint;

import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Capture -> CKA -> MSRS for one model: for each probe batch, the units' pooled IRs, their unbiased
 * CKA matrix and MSRS; then the mean and spread over batches (docs/method.md, "Over many batches").
 */
public final class RedundancyMeasurement {
    private RedundancyMeasurement() {
    }

    /**
     * Selects the probe batches of {@code split} (named {@code splitName}: test or train) by {@code settings},
     * measures {@code model} on them, and times it. The measurement names the model's checkpoint, if it has one,
     * and no run: {@link Measurement#ofRun} adds that.
     */
    public static Measurement run(TrainedModel model, ImageDataset split, String splitName, MeasurementSettings settings) {
        long start = System.nanoTime();
        List<ImageDataset> batches = ProbeBatches.select(split, settings.batches(), settings.batchSize(),
                settings.sampling(), settings.seed());
        MsrsSummary summary = measure(model.graph(), model.blueprint(), batches, model.normalization(), settings.beta(),
                settings.gamma());
        // measure.batch_size 100000 on 256 images measures one batch of 256: the record says 256
        MeasurementSettings used = settings.asUsed(batches.size(), batches.get(0).size());
        return new Measurement(model.architecture(), split.name(), splitName, used, summary,
                (System.nanoTime() - start) / 1e9, model.checkpoint().map(Path::toString).orElse(null), null, null);
    }

    public static MsrsSummary measure(ComputationGraph graph, NetworkBlueprint blueprint, List<ImageDataset> batches,
                                      ChannelNormalization normalization, double beta, double gamma) {
        return measure(graph, blueprint, batches.size(), k -> {
            ImageDataset batch = batches.get(k);
            DataSet ds = new ImageBatchIterator(batch, batch.size(), false, false, normalization, 0).next();
            return ds.getFeatures();
        }, beta, gamma);
    }

    /** The same on batches of images already normalised (n x C x H x W): what an ONNX export is checked against. */
    public static MsrsSummary measureFeatures(ComputationGraph graph, NetworkBlueprint blueprint, List<INDArray> batches,
                                              double beta, double gamma) {
        return measure(graph, blueprint, batches.size(), batches::get, beta, gamma);
    }

    private static MsrsSummary measure(ComputationGraph graph, NetworkBlueprint blueprint, int count,
                                       IntFunction<INDArray> batch, double beta, double gamma) {
        MsrsAccumulator accumulator = new MsrsAccumulator(beta, gamma);
        try (UnitActivationCapture capture = UnitActivationCapture.of(graph, blueprint);
             Progress bar = ProgressBars.create("MSRS " + blueprint.spec(), count, "batch")) {
            for (int k = 0; k < count; k++) {
                accumulator.add(capture.cka(batch.apply(k)));
                bar.step();
            }
        }
        return accumulator.summarize();
    }
}
