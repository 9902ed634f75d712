package org.redtest.onnx;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.RedTestException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fitting images to an imported model's input: only when asked, as PyTorch resizes, and cut into batches. */
class ModelImagesTest {
    private static final OnnxModel.ImageInput RGB_3X5 = new OnnxModel.ImageInput("x", -1, 3, 3, 5);

    @Test
    void greyImagesAreReplicatedAndResizedAsPyTorchsBilinearInterpolation() {
        INDArray grey = Nd4j.create(new float[] {0, 1, 2, 3, 4, 5}, new long[] {1, 1, 2, 3}, 'c');
        INDArray fitted = ModelImages.fit(grey, RGB_3X5, true, "test");
        assertArrayEquals(new long[] {1, 3, 3, 5}, fitted.shape());
        // torch.nn.functional.interpolate(x, size=(3, 5), mode="bilinear", align_corners=False)
        float[] torch = {0.0f, 0.4f, 1.0f, 1.6f, 2.0f, 1.5f, 1.9f, 2.5f, 3.1f, 3.5f, 3.0f, 3.4f, 4.0f, 4.6f, 5.0f};
        float[] all = fitted.dup('c').data().asFloat();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < torch.length; i++) {
                assertEquals(torch[i], all[c * 15 + i], 1e-6, "channel " + c + " pixel " + i);
            }
        }
    }

    @Test
    void imagesOfAnotherShapeAreRefusedUnlessFittingWasAskedFor() {
        INDArray grey = Nd4j.zeros(2, 1, 2, 3);
        var e = assertThrows(RedTestException.class, () -> ModelImages.fit(grey, RGB_3X5, false, "grey.npy"));
        assertTrue(e.getMessage().contains("grey.npy are 1x2x3 but the model takes 3x3x5"), e.getMessage());
        var two = assertThrows(RedTestException.class, () -> ModelImages.fit(Nd4j.zeros(2, 2, 3, 5), RGB_3X5, true, "x"));
        assertTrue(two.getMessage().contains("only 1-channel images can be replicated"), two.getMessage());
    }

    @Test
    void batchesAreWholeAndAtMostTheNumberAskedFor() {
        INDArray images = Nd4j.zeros(10, 3, 3, 5);
        assertEquals(2, ModelImages.batches(images, 5, 4).size(), "10 images make two whole batches of 4");
        assertEquals(1, ModelImages.batches(images, 1, 4).size());
        assertEquals(10, ModelImages.batches(images, 3, 64).get(0).size(0), "fewer images than a batch: one batch of all");
        assertThrows(RedTestException.class, () -> ModelImages.batches(Nd4j.zeros(3, 3, 3, 5), 1, 64));
    }
}
