package org.redtest.onnx;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.redtest.RedTestException;
import org.redtest.similarity.NpyReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The images an imported model is measured on: N x C x H x W floats, from a {@code .npy} file or one of our data
 * sets, fitted to the model's input only when the user asks (grey replicated to three channels, bilinear resize),
 * else refused with both shapes; then cut into measurement batches.
 */
public final class ModelImages {
    private ModelImages() {
    }

    public static INDArray readNpy(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new RedTestException("images file not found: " + file);
        }
        INDArray images = NpyReader.read(file);
        if (images.rank() != 4) {
            throw new RedTestException(file + ": images must be N x C x H x W, got shape " + Arrays.toString(images.shape()));
        }
        return images.castTo(DataType.FLOAT);
    }

    /** The first {@code n} images (all when there are fewer). */
    public static INDArray first(INDArray images, long n) {
        return images.size(0) <= n ? images
                : images.get(NDArrayIndex.interval(0, n), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** {@code images} as the model takes them; {@code fit} allows replicating channels and resizing. */
    public static INDArray fit(INDArray images, OnnxModel.ImageInput input, boolean fit, String what) {
        long[] s = images.shape();
        if (s.length != 4) {
            throw new RedTestException(what + ": images must be N x C x H x W, got shape " + Arrays.toString(s));
        }
        boolean sameChannels = s[1] == input.channels();
        boolean sameSize = s[2] == input.height() && s[3] == input.width();
        if (sameChannels && sameSize) {
            return images;
        }
        String shapes = what + " are " + s[1] + "x" + s[2] + "x" + s[3] + " but the model takes " + input.shapeText();
        if (!fit) {
            throw new RedTestException(shapes + ": give images of that shape, or --fit-input to replicate channels and resize");
        }
        INDArray out = images;
        if (!sameChannels) {
            if (s[1] != 1) {
                throw new RedTestException(shapes + ": only 1-channel images can be replicated to " + input.channels());
            }
            out = Nd4j.concat(1, java.util.Collections.nCopies(input.channels(), images).toArray(INDArray[]::new));
        }
        return sameSize ? out : resize(out, input.height(), input.width());
    }

    /** Bilinear resize with half-pixel centres (PyTorch's align_corners=False). */
    static INDArray resize(INDArray images, int height, int width) {
        long[] s = images.shape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        float[] src = images.dup('c').data().asFloat();
        float[] dst = new float[n * c * height * width];
        for (int plane = 0; plane < n * c; plane++) {
            int so = plane * h * w;
            int d = plane * height * width;
            for (int y = 0; y < height; y++) {
                double sy = Math.max(0, (y + 0.5) * h / height - 0.5);
                int y0 = Math.min((int) sy, h - 1);
                int y1 = Math.min(y0 + 1, h - 1);
                double fy = sy - y0;
                for (int x = 0; x < width; x++) {
                    double sx = Math.max(0, (x + 0.5) * w / width - 0.5);
                    int x0 = Math.min((int) sx, w - 1);
                    int x1 = Math.min(x0 + 1, w - 1);
                    double fx = sx - x0;
                    double top = src[so + y0 * w + x0] * (1 - fx) + src[so + y0 * w + x1] * fx;
                    double bottom = src[so + y1 * w + x0] * (1 - fx) + src[so + y1 * w + x1] * fx;
                    dst[d++] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
        return Nd4j.create(dst, new long[] {n, c, height, width}, 'c');
    }

    /**
     * The first {@code batches} batches of {@code batchSize} images; fewer when there are not enough images
     * (one batch of all of them when there are fewer than {@code batchSize}).
     */
    public static List<INDArray> batches(INDArray images, int batches, int batchSize) {
        long n = images.size(0);
        if (n < 4) {
            throw new RedTestException("unbiased CKA needs at least 4 images, got " + n);
        }
        List<INDArray> out = new ArrayList<>();
        if (n < batchSize) {
            out.add(images);
            return out;
        }
        for (int b = 0; b < batches && (long) (b + 1) * batchSize <= n; b++) {
            out.add(images.get(NDArrayIndex.interval((long) b * batchSize, (long) (b + 1) * batchSize),
                    NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()));
        }
        return out;
    }
}
