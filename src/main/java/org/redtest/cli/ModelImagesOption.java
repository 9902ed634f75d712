package org.redtest.cli;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.RedTestException;
import org.redtest.data.DataLoader;
import org.redtest.data.DataSpec;
import org.redtest.data.ImageBatchIterator;
import org.redtest.data.ImageDataset;
import org.redtest.data.LoadedData;
import org.redtest.onnx.ModelImages;
import org.redtest.onnx.OnnxModel;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The images an ONNX model is measured on: {@code --inputs FILE.npy} or a data set's test split
 * ({@code --dataset}, {@code --test-limit}), normalised as for our own models; {@code --fit-input} lets
 * them be fitted to the model's input. Declared once for {@code msrs --onnx} and {@code similarity --against}.
 */
final class ModelImagesOption {
    @Option(names = "--inputs", paramLabel = "IMAGES", description = "Images as a float32 .npy of N x C x H x W "
            + "(already normalised as the model expects), instead of --dataset.")
    Path inputs;
    @Option(names = "--test-limit", paramLabel = "N", description = "With --dataset: the first N test images.")
    Integer testLimit;
    @Option(names = "--fit-input", description = "Replicate grey images to the model's channels and resize them "
            + "(bilinear) to its input size; without it, images of another shape are refused.")
    boolean fit;

    /** The images and a name for them; {@code dataset} and {@code dataDir} come from --dataset / --data-dir. */
    record Images(INDArray values, String name) {
    }

    /** At most {@code limit} images (those the measurement uses) are kept and fitted, so fitting never grows them all. */
    Images load(String dataset, String dataDir, OnnxModel.ImageInput input, long limit) {
        if ((inputs == null) == (dataset == null)) {
            throw new RedTestException("give the images with --inputs FILE.npy or --dataset NAME (one of them)");
        }
        if (inputs != null) {
            return new Images(ModelImages.fit(ModelImages.first(ModelImages.readNpy(inputs), limit), input, fit,
                    inputs.toString()), inputs.getFileName().toString());
        }
        DataSpec spec = DataChoice.resolve(Optional.empty(), dataset, dataDir, testLimit, "give --dataset");
        LoadedData data = DataLoader.load(spec);
        ImageDataset test = data.test().size() > limit ? data.test().firstN((int) limit) : data.test();
        INDArray features = new ImageBatchIterator(test, test.size(), false, false, data.normalization(), 0).next()
                .getFeatures();
        return new Images(ModelImages.fit(features, input, fit, test.name() + " test images"), test.name() + " test");
    }
}
