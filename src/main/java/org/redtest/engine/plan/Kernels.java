package org.redtest.engine.plan;

/**
 * The operations a plan needs from a device, on float buffers of n samples of a {@link SampleShape} each, in
 * NCHW order or, where {@link #channelsLast} says so, NHWC (the order is the implementation's: the plan only
 * moves activations in and out through {@link #uploadActivation} and {@link #downloadActivation}).
 * {@link PlanExecutor} decides what runs when; an implementation only computes. Where a method takes
 * {@code accumulate}, true adds the result to what the target holds and false overwrites it.
 * Implementations: plain Java (the reference, used by the tests), oneDNN on the CPU and cuDNN/cuBLAS.
 */
public interface Kernels extends AutoCloseable {
    /** A buffer of {@code length} zeros. */
    Buffer allocate(long length);

    void free(Buffer buffer);

    /** Copies {@code values} to the start of {@code target}. */
    void upload(float[] values, Buffer target);

    float[] download(Buffer source);

    /** Whether activations are kept channels-last (NHWC) rather than NCHW. */
    default boolean channelsLast() {
        return false;
    }

    /** Copies n samples of shape {@code s}, given in NCHW order, into an activation buffer, in this implementation's order. */
    default void uploadActivation(float[] nchw, SampleShape s, int n, Buffer target) {
        upload(nchw, target);
    }

    /** Copies a batch (an n x C x H x W array of any type and order) into an activation buffer of n samples of {@code s}. */
    default void uploadBatch(org.nd4j.linalg.api.ndarray.INDArray nchw, SampleShape s, Buffer target) {
        uploadActivation(PlanInputs.floats(nchw), s, (int) nchw.size(0), target);
    }

    /** n samples of shape {@code s} from an activation buffer, in NCHW order. */
    default float[] downloadActivation(Buffer source, SampleShape s, int n) {
        return download(source);
    }

    void fill(Buffer target, float value);

    /** y (+)= factor * x, element-wise over x's length (copies, sums, zero-scaled skips, their gradients). */
    void scale(double factor, Buffer x, Buffer y, boolean accumulate);

    void convForward(ConvShape s, int n, Buffer x, Buffer weights, Buffer bias, Buffer y);

    /**
     * Inference: {@link #convForward}, then y += {@code addend} when it is not null (a tensor of y's shape), then
     * max(y, 0) when {@code relu}; one pass where the kernels can fuse them.
     */
    default void convForward(ConvShape s, int n, Buffer x, Buffer weights, Buffer bias, Buffer addend, Buffer y,
                             boolean relu) {
        convForward(s, n, x, weights, bias, y);
        if (addend != null) {
            scale(1, addend, y, true);
        }
        if (relu) {
            relu(y, y);
        }
    }

    /** Whether inference may run with batch norm folded into convolutions and ReLUs fused ({@link InferenceFusion}). */
    default boolean fusesInference() {
        return false;
    }

    /** y = the sum of {@code xs}, then max(y, 0) when {@code relu}. */
    default void sum(java.util.List<Buffer> xs, Buffer y, boolean relu) {
        for (int i = 0; i < xs.size(); i++) {
            scale(1, xs.get(i), y, i > 0);
        }
        if (relu) {
            relu(y, y);
        }
    }

    void convBackwardData(ConvShape s, int n, Buffer dy, Buffer weights, Buffer dx, boolean accumulate);

    /** The weight gradient (and the bias gradient when {@code dBias} is not null), overwritten. */
    void convBackwardParams(ConvShape s, int n, Buffer x, Buffer dy, Buffer dWeights, Buffer dBias);

    /**
     * Training-mode batch norm: normalises with the batch's mean and biased variance, and saves the mean and
     * 1 / sqrt(variance + eps) per channel for the backward pass and the running statistics.
     */
    void batchNormTraining(SampleShape s, int n, double eps, Buffer x, Buffer gamma, Buffer beta, Buffer y,
                           Buffer savedMean, Buffer savedInvStd);

    /** Whether training may fuse a ReLU into the batch norm or sum that alone feeds it ({@link PlanExecutor}). */
    default boolean fusesTrainingRelu() {
        return false;
    }

    /** Floats of the workspace {@link #batchNormReluTraining} keeps for its backward pass. */
    default long batchNormReluWorkspace(SampleShape s, int n, double eps) {
        return 0;
    }

    /** {@link #batchNormTraining}, then max(y, 0); {@code workspace}: what the backward pass needs of the ReLU. */
    default void batchNormReluTraining(SampleShape s, int n, double eps, Buffer x, Buffer gamma, Buffer beta, Buffer y,
                                       Buffer savedMean, Buffer savedInvStd, Buffer workspace) {
        batchNormTraining(s, n, eps, x, gamma, beta, y, savedMean, savedInvStd);
        relu(y, y);
    }

    /**
     * The backward pass of {@link #batchNormReluTraining}: {@code dy} is the gradient of the ReLU's output
     * {@code y} (and may be overwritten), then as {@link #batchNormBackward}.
     */
    default void batchNormReluBackward(SampleShape s, int n, double eps, Buffer x, Buffer y, Buffer dy, Buffer gamma,
                                       Buffer savedMean, Buffer savedInvStd, Buffer workspace, Buffer dx,
                                       boolean accumulate, Buffer dGamma, Buffer dBeta) {
        reluBackward(y, dy, dy, false);
        batchNormBackward(s, n, eps, x, dy, gamma, savedMean, savedInvStd, dx, accumulate, dGamma, dBeta);
    }

    /** running = decay * running + (1 - decay) * batch statistic, the batch variance being 1/invStd^2 - eps. */
    void batchNormUpdateRunning(int channels, double decay, double eps, Buffer savedMean, Buffer savedInvStd,
                                Buffer runningMean, Buffer runningVar);

    void batchNormInference(SampleShape s, int n, double eps, Buffer x, Buffer gamma, Buffer beta, Buffer mean,
                            Buffer variance, Buffer y);

    /** dx (+)=, dGamma and dBeta overwritten, from the statistics {@link #batchNormTraining} saved. */
    void batchNormBackward(SampleShape s, int n, double eps, Buffer x, Buffer dy, Buffer gamma, Buffer savedMean,
                           Buffer savedInvStd, Buffer dx, boolean accumulate, Buffer dGamma, Buffer dBeta);

    void relu(Buffer x, Buffer y);

    /** dx (+)= dy where y > 0 (y being the ReLU's output); dx may be dy itself when not accumulating. */
    void reluBackward(Buffer y, Buffer dy, Buffer dx, boolean accumulate);

    void pool(PoolShape s, int n, Buffer x, Buffer y);

    void poolBackward(PoolShape s, int n, Buffer x, Buffer y, Buffer dy, Buffer dx, boolean accumulate);

    /**
     * Per sample, copies {@code channels} channels of {@code plane} values each (in this implementation's order) from channel {@code srcFrom} of
     * a source with {@code srcChannels} channels to channel {@code dstFrom} of a target with {@code dstChannels}.
     */
    void copyChannels(int n, int plane, Buffer src, int srcChannels, int srcFrom, Buffer dst, int dstChannels,
                      int dstFrom, int channels, boolean accumulate);

    /** y = x W + b (x: n x in, W: in x out, row-major). */
    void dense(int n, int in, int out, Buffer x, Buffer weights, Buffer bias, Buffer y);

    /** dW, db overwritten; dx (+)= dy W^T unless dx is null. */
    void denseBackward(int n, int in, int out, Buffer x, Buffer weights, Buffer dy, Buffer dx, boolean accumulate,
                       Buffer dWeights, Buffer dBias);

    void softmax(int n, int classes, Buffer logits, Buffer probabilities);

    /**
     * Softmax of the logits into {@code probabilities}, the gradient of the mean cross-entropy with respect to
     * the logits ((p - y) / n) into {@code dLogits}; returns the summed cross-entropy of the batch, with
     * probabilities clipped to [1e-10, 1 - 1e-10] as DL4J scores them.
     */
    double softmaxCrossEntropy(int n, int classes, Buffer logits, Buffer labels, Buffer probabilities, Buffer dLogits);

    /** Inverted dropout: keeps each value with probability {@code retain}, scaled by 1 / retain; {@code mask} records it. */
    void dropout(double retain, Buffer x, Buffer y, Buffer mask);

    void dropoutBackward(Buffer dy, Buffer mask, Buffer dx, boolean accumulate);

    /** Sum of squares, in double. */
    double sumOfSquares(Buffer x);

    /**
     * The Gram matrix over n samples of columns {@code offset..offset+width} of an n x {@code stride} row-major
     * matrix, after subtracting the first sample's row from every row; n x n, row-major.
     */
    double[] gram(int n, int stride, int offset, int width, Buffer rows);

    /** Waits for queued work (a no-op where every call completes before it returns). */
    void synchronize();

    /** One line: what these kernels run on. */
    String describe();

    @Override
    void close();
}
