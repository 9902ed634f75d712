package org.redtest.bench;

import org.redtest.engine.Engines;
import org.redtest.engine.InferenceSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.config.Sampling;
import org.redtest.data.ChannelNormalization;
import org.redtest.data.DataLoader;
import org.redtest.data.DataSpec;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.ImageDataset;
import org.redtest.data.LoadedData;
import org.redtest.measure.ProbeBatches;
import org.redtest.measure.RedundancyMeasurement;
import org.redtest.similarity.Msrs;
import org.redtest.zoo.Dl4jGraphFactory;
import org.redtest.zoo.GraphSettings;
import org.redtest.zoo.ModelSpec;
import org.redtest.zoo.NetworkBlueprint;
import org.redtest.zoo.Shape;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * MSRS measurement time over plain inference time on the same images (real Fashion-MNIST test
 * images, padded to 32x32): the whole measurement (capture with pooled taps, CKA, MSRS) against
 * {@code outputSingle} on the same batches, side by side in three rounds.
 */
public final class MsrsOverheadBenchmark {
    private MsrsOverheadBenchmark() {
    }

    /** Returns the median round's ratio of measurement time to plain inference time. */
    public static double run(String model, int batches, int batchSize, PrintWriter out) {
        LoadedData data = DataLoader.load(new DataSpec(DataSpec.FASHION_MNIST, null, 1, null, null, null, false));
        ChannelNormalization norm = data.normalization();
        ImageDataset test = data.test();
        NetworkBlueprint bp = ModelSpec.parse(model).blueprint(new Shape(test.channels(), test.height(), test.width()),
                test.numClasses());
        ComputationGraph graph = Dl4jGraphFactory.create(bp, GraphSettings.inference(1));
        List<ImageDataset> probe = ProbeBatches.select(test, batches, batchSize, Sampling.FIRST, 0);
        List<INDArray> features = new ArrayList<>();
        for (ImageDataset b : probe) {
            features.add(new ImageBatchIterator(b, b.size(), false, false, norm, 0).next().getFeatures());
        }
        double gamma = bp.family().defaultGamma();
        try (InferenceSession forward = Engines.current().inference(graph)) {
            RedundancyMeasurement.measure(graph, bp, probe.subList(0, 1), norm, Msrs.DEFAULT_BETA, gamma); // warm-up
            features.forEach(f -> inference(forward, f));
            // The machine is noisy: each round times both side by side; the median round ratio is reported.
            double[] ratios = new double[3];
            out.printf("%s on %d batches of %d Fashion-MNIST test images%n", bp.spec(), probe.size(), batchSize);
            for (int r = 0; r < ratios.length; r++) {
                long t0 = System.nanoTime();
                features.forEach(f -> inference(forward, f));
                double plain = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                RedundancyMeasurement.measure(graph, bp, probe, norm, Msrs.DEFAULT_BETA, gamma);
                double msrs = (System.nanoTime() - t0) / 1e9;
                ratios[r] = msrs / plain;
                out.printf("  round %d: plain inference %7.3f s, MSRS measurement %7.3f s, ratio %.2f%n", r + 1, plain, msrs, ratios[r]);
            }
            java.util.Arrays.sort(ratios);
            out.printf("  median ratio %.2f (target <= 1.3)%n", ratios[1]);
            out.flush();
            return ratios[1];
        }
    }

    /** Plain inference as RedTest runs it, on the process's engine. */
    private static void inference(InferenceSession forward, INDArray features) {
        forward.output(features);
    }
}
