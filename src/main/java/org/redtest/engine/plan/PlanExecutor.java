package org.redtest.engine.plan;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.RedTestException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an {@link ExecutionPlan} on a device's {@link Kernels}: the forward pass (training or inference), the
 * loss, the backward pass and the optimiser step, on buffers that live on the device for as long as the
 * executor does. Parameters, their gradients and the optimiser's velocity are each one flat buffer laid out as
 * the plan's {@link ParamSlot}s say, so the optimiser is a handful of whole-buffer operations. Every step has
 * its own activation buffer (and gradient buffer when training), sized for the largest batch seen so far.
 *
 * <p>Moving values between the buffers and a DL4J graph is {@link GraphState}'s job.
 */
public final class PlanExecutor implements AutoCloseable {
    private final ExecutionPlan plan;
    private final Kernels kernels;
    private final boolean training;
    final Buffer params;
    final Buffer state;
    private final Buffer gradients;
    final Buffer velocity;
    private final Buffer previousVelocity;
    private final Map<String, Buffer> activations = new HashMap<>();
    private final Map<String, Buffer> activationGradients = new HashMap<>();
    /** Per batch norm its saved mean and inverse deviation; per dropout its mask. */
    private final Map<String, Buffer[]> saved = new HashMap<>();
    private Buffer input;
    private Buffer labels;
    private Buffer probabilities;
    private Buffer scratch;
    private int capacity;
    /** Inference on kernels that fuse: the fused steps, and their parameters once folded (at the first pass). */
    private final InferenceFusion fusion;
    /** Training on kernels that fuse: the ReLUs run inside their batch norm or sum, else null. */
    private final ReluFusion reluFusion;
    private Buffer foldedParams;
    private final Map<String, Long> foldedOffsets = new HashMap<>();
    /** While {@link #warmUp} runs: batch norm leaves its running statistics alone and dropout draws no mask. */
    private boolean warmingUp;

    public PlanExecutor(ExecutionPlan plan, Kernels kernels, boolean training) {
        this.plan = plan;
        this.kernels = kernels;
        this.training = training;
        this.params = kernels.allocate(Math.max(1, plan.paramCount()));
        this.state = kernels.allocate(Math.max(1, plan.stateCount()));
        this.gradients = training ? kernels.allocate(Math.max(1, plan.paramCount())) : null;
        this.velocity = training ? kernels.allocate(Math.max(1, plan.paramCount())) : null;
        this.previousVelocity = training ? kernels.allocate(Math.max(1, plan.paramCount())) : null;
        if (kernels.channelsLast()) {
            refuseSpatialFlattening(plan);
        }
        this.fusion = !training && kernels.fusesInference() ? new InferenceFusion(plan) : null;
        this.reluFusion = training && kernels.fusesTrainingRelu() ? new ReluFusion(plan) : null;
    }

    /** A dense layer on a feature map reads it flattened in NCHW order, which channels-last kernels do not keep. */
    private void refuseSpatialFlattening(ExecutionPlan plan) {
        for (Step step : plan.steps()) {
            if ((step instanceof Step.Dense || step instanceof Step.SoftmaxOutput) && inShape(step, 0).plane() > 1) {
                close();
                throw new UnsupportedGraphException(step.name(), "a dense layer on a " + inShape(step, 0)
                        + " feature map with channels-last kernels");
            }
        }
    }

    public ExecutionPlan plan() {
        return plan;
    }

    public Kernels kernels() {
        return kernels;
    }

    /**
     * The output of the last forward pass: class probabilities for a classifier, else the last step's activation
     * (in the kernels' order: read it with {@link Kernels#downloadActivation}).
     */
    public Buffer output(int n) {
        Step out = plan.output();
        return out instanceof Step.SoftmaxOutput ? probabilities.slice(0, (long) n * out.out().size()) : activation(out, n);
    }

    /** Runs the network forward on a batch ({@code features}: n x the plan's input shape, NCHW). */
    public void forward(INDArray features, boolean trainingMode) {
        if (trainingMode && !training) {
            throw new IllegalStateException("an inference executor cannot run training passes");
        }
        if (!PlanInputs.shapeOf(features).equals(plan.inputShape())) {
            throw new RedTestException("batch of shape " + java.util.Arrays.toString(features.shape())
                    + " for a network planned for " + plan.inputShape() + " samples");
        }
        int n = (int) features.size(0);
        ensureCapacity(n);
        kernels.uploadBatch(features, plan.inputShape(), input.slice(0, (long) n * plan.inputShape().size()));
        if (fusion != null) {
            fold();
        }
        for (Step step : plan.steps()) {
            if (reluFusion != null) {
                forwardWithRelus(step, n, trainingMode);
            } else if (fusion == null) {
                forward(step, n, trainingMode);
            } else if (!fusion.fusedAway.contains(step.name())) {
                forwardFused(step, n);
            }
        }
        if (!trainingMode && plan.output() instanceof Step.SoftmaxOutput o) {
            kernels.softmax(n, o.classes(), activation(o, n), probabilities.slice(0, (long) n * o.classes()));
        }
    }

    /**
     * One SGD step with Nesterov momentum and L2 on {@code n} samples: forward, loss, backward, update.
     * Returns the loss DL4J reports for it: the mean cross-entropy plus half the L2 coefficient times the squared
     * norm of the regularised parameters, both before the update.
     */
    public double trainStep(INDArray features, float[] oneHotLabels, double learningRate, double momentum) {
        double loss = lossAndGradients(features, oneHotLabels);
        update(learningRate, momentum);
        return loss;
    }

    /**
     * A training pass on {@code n} samples of zeros (forward, loss and backward, no update), so that the kernels
     * make what they make at the first pass of a batch size (oneDNN primitives, cuDNN plans and their scratch
     * memory) before the batches that count. It changes nothing the next step reads: parameters, velocity,
     * batch-norm running statistics and dropout's random stream stay as they were, and the gradients it leaves
     * are overwritten by the next step's.
     */
    public void warmUp(int n) {
        if (!training) {
            throw new IllegalStateException("an inference executor has no training pass to warm up");
        }
        if (!(plan.output() instanceof Step.SoftmaxOutput o)) {
            return; // nothing to train: the first step says so
        }
        SampleShape s = plan.inputShape();
        warmingUp = true;
        try {
            lossAndGradients(Nd4j.zeros(DataType.FLOAT, n, s.channels(), s.height(), s.width()), new float[n * o.classes()]);
        } finally {
            warmingUp = false;
        }
    }

    /** Forward, loss and backward: the gradients of the step's loss, which it returns (see {@link #trainStep}). */
    private double lossAndGradients(INDArray features, float[] oneHotLabels) {
        if (!(plan.output() instanceof Step.SoftmaxOutput o)) {
            throw new IllegalStateException("training needs a softmax classifier as the output");
        }
        int n = (int) features.size(0);
        forward(features, true);
        kernels.upload(oneHotLabels, labels);
        Buffer dLogits = gradient(o, n);
        double loss = kernels.softmaxCrossEntropy(n, o.classes(), activation(o, n), labels.slice(0, (long) n * o.classes()),
                probabilities.slice(0, (long) n * o.classes()), dLogits) / n;
        Buffer weights = params.slice(0, Math.max(1, plan.regularizedCount()));
        if (plan.regularizedCount() > 0 && plan.l2() > 0) {
            loss += 0.5 * plan.l2() * kernels.sumOfSquares(weights);
        }
        backward(n);
        return loss;
    }

    /** The parameter gradients of the last training step (means over the batch), laid out as the parameters. */
    public float[] parameterGradients() {
        return kernels.download(gradients.slice(0, plan.paramCount()));
    }

    /** The sum of squares of every parameter: finite exactly when every parameter is. */
    public double parameterSumOfSquares() {
        return plan.paramCount() == 0 ? 0 : kernels.sumOfSquares(params.slice(0, plan.paramCount()));
    }

    private void update(double learningRate, double momentum) {
        long count = plan.paramCount();
        if (count == 0) {
            return;
        }
        Buffer p = params.slice(0, count);
        Buffer g = gradients.slice(0, count);
        Buffer v = velocity.slice(0, count);
        Buffer vPrevious = previousVelocity.slice(0, count);
        long regularized = plan.regularizedCount();
        if (regularized > 0 && plan.l2() > 0) { // L2 before the updater, as DL4J applies it: g += l2 * w
            kernels.scale(plan.l2(), params.slice(0, regularized), gradients.slice(0, regularized), true);
        }
        // DL4J's Nesterov: v' = mu v - lr g; w -= mu v - (1 + mu) v'
        kernels.scale(1, v, vPrevious, false);
        kernels.scale(momentum, v, v, false);
        kernels.scale(-learningRate, g, v, true);
        kernels.scale(-momentum, vPrevious, p, true);
        kernels.scale(1 + momentum, v, p, true);
    }

    private void forward(Step step, int n, boolean trainingMode) {
        Buffer y = activation(step, n);
        if (step instanceof Step.Conv c) {
            kernels.convForward(c.shape(), n, in(step, 0, n), param(c.name(), "W"),
                    c.shape().bias() ? param(c.name(), "b") : null, y);
        } else if (step instanceof Step.BatchNorm b) {
            BatchNormState s = plan.batchNorm(b.name());
            Buffer mean = state.slice(s.meanOffset(), s.channels());
            Buffer variance = state.slice(s.varianceOffset(), s.channels());
            if (trainingMode) {
                Buffer[] stats = saved(b.name(), s.channels(), s.channels());
                kernels.batchNormTraining(b.out(), n, b.eps(), in(step, 0, n), param(b.name(), "gamma"),
                        param(b.name(), "beta"), y, stats[0], stats[1]);
                if (!warmingUp) {
                    kernels.batchNormUpdateRunning(s.channels(), b.decay(), b.eps(), stats[0], stats[1], mean, variance);
                }
            } else {
                kernels.batchNormInference(b.out(), n, b.eps(), in(step, 0, n), param(b.name(), "gamma"),
                        param(b.name(), "beta"), mean, variance, y);
            }
        } else if (step instanceof Step.Relu) {
            kernels.relu(in(step, 0, n), y);
        } else if (step instanceof Step.Add) {
            kernels.sum(inputs(step, n), y, false);
        } else if (step instanceof Step.Pool p) {
            kernels.pool(p.shape(), n, in(step, 0, n), y);
        } else if (step instanceof Step.Scale s) {
            if (s.factor() == 0) {
                kernels.fill(y, 0);
            } else {
                kernels.scale(s.factor(), in(step, 0, n), y, false);
            }
        } else if (step instanceof Step.ChannelSubset s) {
            kernels.copyChannels(n, s.out().plane(), in(step, 0, n), inShape(step, 0).channels(), s.from(), y,
                    s.out().channels(), 0, s.out().channels(), false);
        } else if (step instanceof Step.ChannelConcat c) {
            int at = 0;
            for (int i = 0; i < c.inputs().size(); i++) {
                int channels = inShape(step, i).channels();
                kernels.copyChannels(n, c.out().plane(), in(step, i, n), channels, 0, y, c.out().channels(), at,
                        channels, false);
                at += channels;
            }
        } else if (step instanceof Step.Dropout d) {
            if (trainingMode && d.retain() < 1 && !warmingUp) {
                kernels.dropout(d.retain(), in(step, 0, n), y, saved(d.name(), (long) n * d.out().size())[0]);
            } else {
                kernels.scale(1, in(step, 0, n), y, false);
            }
        } else if (step instanceof Step.Dense d) {
            kernels.dense(n, d.in(), d.outFeatures(), in(step, 0, n), param(d.name(), "W"), param(d.name(), "b"), y);
            if (d.relu()) {
                kernels.relu(y, y);
            }
        } else if (step instanceof Step.SoftmaxOutput o) {
            kernels.dense(n, o.in(), o.classes(), in(step, 0, n), param(o.name(), "W"), param(o.name(), "b"), y);
        }
    }

    /** A step of a training executor with {@link #reluFusion}: a producer writes its ReLU's output, the ReLU does nothing. */
    private void forwardWithRelus(Step step, int n, boolean trainingMode) {
        Step.Relu relu = reluFusion.reluAfter(step);
        if (reluFusion.fused(step)) {
            return;
        }
        if (relu == null) {
            forward(step, n, trainingMode);
        } else if (step instanceof Step.Add) {
            kernels.sum(inputs(step, n), activation(relu, n), true);
        } else if (step instanceof Step.BatchNorm b) {
            BatchNormState s = plan.batchNorm(b.name());
            Buffer mean = state.slice(s.meanOffset(), s.channels());
            Buffer variance = state.slice(s.varianceOffset(), s.channels());
            Buffer y = activation(relu, n);
            if (trainingMode) {
                Buffer[] stats = saved(b.name(), s.channels(), s.channels(),
                        Math.max(1, kernels.batchNormReluWorkspace(b.out(), n, b.eps())));
                kernels.batchNormReluTraining(b.out(), n, b.eps(), in(step, 0, n), param(b.name(), "gamma"),
                        param(b.name(), "beta"), y, stats[0], stats[1], stats[2]);
                if (!warmingUp) {
                    kernels.batchNormUpdateRunning(s.channels(), b.decay(), b.eps(), stats[0], stats[1], mean, variance);
                }
            } else {
                kernels.batchNormInference(b.out(), n, b.eps(), in(step, 0, n), param(b.name(), "gamma"),
                        param(b.name(), "beta"), mean, variance, y);
                kernels.relu(y, y);
            }
        }
    }

    /** The backward pass of a fused producer: it masks its ReLU's gradient. False for every other step. */
    private boolean backwardWithRelu(Step step, int n) {
        if (reluFusion == null) {
            return false;
        }
        if (reluFusion.fused(step)) {
            return true; // done by its producer
        }
        Step.Relu relu = reluFusion.reluAfter(step);
        if (relu == null) {
            return false;
        }
        Buffer y = activation(relu, n);
        Buffer dy = gradient(relu, n);
        if (step instanceof Step.Add) {
            for (int i = 0; i < step.inputs().size(); i++) {
                if (feeds(step, i)) {
                    kernels.reluBackward(y, dy, gradient(step, i, n), accumulates(step, i));
                }
            }
        } else if (step instanceof Step.BatchNorm b) {
            Buffer[] stats = saved.get(b.name());
            boolean feeds = feeds(step, 0);
            kernels.batchNormReluBackward(b.out(), n, b.eps(), in(step, 0, n), y, dy, param(b.name(), "gamma"),
                    stats[0], stats[1], stats[2], feeds ? gradient(step, 0, n) : scratch((long) n * b.out().size()),
                    feeds && accumulates(step, 0), paramGradient(b.name(), "gamma"), paramGradient(b.name(), "beta"));
        }
        return true;
    }

    private List<Buffer> inputs(Step step, int n) {
        List<Buffer> xs = new java.util.ArrayList<>(step.inputs().size());
        for (int i = 0; i < step.inputs().size(); i++) {
            xs.add(in(step, i, n));
        }
        return xs;
    }

    /** An inference step with {@link #fusion}: a convolution group or a sum group writes its last step's output. */
    private void forwardFused(Step step, int n) {
        InferenceFusion.ConvGroup conv = fusion.convs.get(step.name());
        InferenceFusion.SumGroup sum = fusion.sums.get(step.name());
        if (conv != null) {
            ConvShape s = conv.conv().shape();
            ConvShape withBias = new ConvShape(s.in(), s.out(), s.kernel(), s.stride(), s.padding(), true);
            long at = foldedOffsets.get(step.name());
            Buffer addend = conv.addend() == null ? null : conv.addend().equals(plan.input())
                    ? input.slice(0, (long) n * plan.inputShape().size()) : activation(stepNamed(conv.addend()), n);
            kernels.convForward(withBias, n, in(step, 0, n), foldedParams.slice(at, s.weightCount()),
                    foldedParams.slice(at + s.weightCount(), s.out().channels()), addend, activation(conv.last(), n),
                    conv.relu() != null);
        } else if (sum != null) {
            kernels.sum(inputs(step, n), activation(sum.relu(), n), true);
        } else {
            forward(step, n, false);
        }
    }

    /**
     * The folded weights and biases of every convolution group, from the parameters and running statistics
     * (once: an inference executor's parameters do not change after its first pass).
     */
    private void fold() {
        if (foldedParams != null || fusion.convs.isEmpty()) {
            return;
        }
        long total = 0;
        for (InferenceFusion.ConvGroup g : fusion.convs.values()) {
            foldedOffsets.put(g.conv().name(), total);
            total += g.conv().shape().weightCount() + g.conv().shape().out().channels();
        }
        float[] values = new float[(int) total];
        for (InferenceFusion.ConvGroup g : fusion.convs.values()) {
            ConvShape s = g.conv().shape();
            String bn = g.batchNorm().name();
            BatchNormState state = plan.batchNorm(bn);
            float[] w = kernels.download(param(g.conv().name(), "W"));
            float[] bias = s.bias() ? kernels.download(param(g.conv().name(), "b")) : new float[s.out().channels()];
            float[] gamma = kernels.download(param(bn, "gamma"));
            float[] beta = kernels.download(param(bn, "beta"));
            float[] mean = kernels.download(this.state.slice(state.meanOffset(), state.channels()));
            float[] variance = kernels.download(this.state.slice(state.varianceOffset(), state.channels()));
            int at = (int) (long) foldedOffsets.get(g.conv().name());
            int perChannel = s.weightCount() / s.out().channels();
            for (int o = 0; o < s.out().channels(); o++) {
                double factor = gamma[o] / Math.sqrt(variance[o] + g.batchNorm().eps());
                for (int i = 0; i < perChannel; i++) {
                    values[at + o * perChannel + i] = (float) (w[o * perChannel + i] * factor);
                }
                values[at + s.weightCount() + o] = (float) (beta[o] + (bias[o] - mean[o]) * factor);
            }
        }
        foldedParams = kernels.allocate(total);
        kernels.upload(values, foldedParams);
    }

    private void backward(int n) {
        kernels.fill(gradients, 0); // a parameter whose step gets no gradient keeps a zero one
        List<Step> steps = plan.steps();
        for (int index = steps.size() - 1; index >= 0; index--) {
            Step step = steps.get(index);
            if (plan.runsBackward(step)) {
                backward(step, n);
            }
        }
    }

    private void backward(Step step, int n) {
        if (backwardWithRelu(step, n)) {
            return;
        }
        Buffer dy = gradient(step, n);
        if (step instanceof Step.Conv c) {
            if (feeds(step, 0)) {
                kernels.convBackwardData(c.shape(), n, dy, param(c.name(), "W"), gradient(step, 0, n), accumulates(step, 0));
            }
            kernels.convBackwardParams(c.shape(), n, in(step, 0, n), dy, paramGradient(c.name(), "W"),
                    c.shape().bias() ? paramGradient(c.name(), "b") : null);
        } else if (step instanceof Step.BatchNorm b) {
            Buffer[] stats = saved.get(b.name());
            boolean feeds = feeds(step, 0);
            kernels.batchNormBackward(b.out(), n, b.eps(), in(step, 0, n), dy, param(b.name(), "gamma"), stats[0],
                    stats[1], feeds ? gradient(step, 0, n) : scratch((long) n * b.out().size()),
                    feeds && accumulates(step, 0), paramGradient(b.name(), "gamma"), paramGradient(b.name(), "beta"));
        } else if (step instanceof Step.Relu) {
            if (feeds(step, 0)) {
                kernels.reluBackward(activation(step, n), dy, gradient(step, 0, n), accumulates(step, 0));
            }
        } else if (step instanceof Step.Add) {
            for (int i = 0; i < step.inputs().size(); i++) {
                if (feeds(step, i)) {
                    kernels.scale(1, dy, gradient(step, i, n), accumulates(step, i));
                }
            }
        } else if (step instanceof Step.Pool p) {
            if (feeds(step, 0)) {
                kernels.poolBackward(p.shape(), n, in(step, 0, n), activation(step, n), dy, gradient(step, 0, n),
                        accumulates(step, 0));
            }
        } else if (step instanceof Step.Scale s) {
            if (feeds(step, 0)) {
                kernels.scale(s.factor(), dy, gradient(step, 0, n), accumulates(step, 0));
            }
        } else if (step instanceof Step.ChannelSubset s) {
            if (feeds(step, 0)) {
                Buffer dx = gradient(step, 0, n);
                if (!accumulates(step, 0)) {
                    kernels.fill(dx, 0); // the channels outside the subset get no gradient from it
                }
                kernels.copyChannels(n, s.out().plane(), dy, s.out().channels(), 0, dx, inShape(step, 0).channels(),
                        s.from(), s.out().channels(), true);
            }
        } else if (step instanceof Step.ChannelConcat c) {
            int at = 0;
            for (int i = 0; i < c.inputs().size(); i++) {
                int channels = inShape(step, i).channels();
                if (feeds(step, i)) {
                    kernels.copyChannels(n, c.out().plane(), dy, c.out().channels(), at, gradient(step, i, n), channels,
                            0, channels, accumulates(step, i));
                }
                at += channels;
            }
        } else if (step instanceof Step.Dropout d) {
            if (feeds(step, 0)) {
                if (d.retain() < 1 && !warmingUp) {
                    kernels.dropoutBackward(dy, saved.get(d.name())[0].slice(0, (long) n * d.out().size()),
                            gradient(step, 0, n), accumulates(step, 0));
                } else {
                    kernels.scale(1, dy, gradient(step, 0, n), accumulates(step, 0));
                }
            }
        } else if (step instanceof Step.Dense d) {
            if (d.relu()) {
                kernels.reluBackward(activation(step, n), dy, dy, false);
            }
            kernels.denseBackward(n, d.in(), d.outFeatures(), in(step, 0, n), param(d.name(), "W"), dy,
                    feeds(step, 0) ? gradient(step, 0, n) : null, feeds(step, 0) && accumulates(step, 0),
                    paramGradient(d.name(), "W"), paramGradient(d.name(), "b"));
        } else if (step instanceof Step.SoftmaxOutput o) {
            kernels.denseBackward(n, o.in(), o.classes(), in(step, 0, n), param(o.name(), "W"), dy,
                    feeds(step, 0) ? gradient(step, 0, n) : null, feeds(step, 0) && accumulates(step, 0),
                    paramGradient(o.name(), "W"), paramGradient(o.name(), "b"));
        }
    }

    private boolean feeds(Step step, int i) {
        return plan.feedsGradient(step, i);
    }

    private boolean accumulates(Step step, int i) {
        return plan.accumulates(step, i);
    }

    private Buffer param(String layer, String key) {
        ParamSlot slot = plan.param(layer, key);
        return params.slice(slot.offset(), slot.length());
    }

    private Buffer paramGradient(String layer, String key) {
        ParamSlot slot = plan.param(layer, key);
        return gradients.slice(slot.offset(), slot.length());
    }

    private SampleShape inShape(Step step, int i) {
        String name = step.inputs().get(i);
        return name.equals(plan.input()) ? plan.inputShape() : stepNamed(name).out();
    }

    private final Map<String, Step> byName = new HashMap<>();

    private Step stepNamed(String name) {
        if (byName.isEmpty()) {
            plan.steps().forEach(s -> byName.put(s.name(), s));
        }
        return byName.get(name);
    }

    private Buffer in(Step step, int i, int n) {
        String name = step.inputs().get(i);
        if (name.equals(plan.input())) {
            return input.slice(0, (long) n * plan.inputShape().size());
        }
        return activation(stepNamed(name), n);
    }

    private Buffer gradient(Step step, int i, int n) {
        return gradient(stepNamed(step.inputs().get(i)), n);
    }

    private Buffer activation(Step step, int n) {
        return activations.get(step.name()).slice(0, (long) n * step.out().size());
    }

    private Buffer gradient(Step step, int n) {
        return activationGradients.get(step.name()).slice(0, (long) n * step.out().size());
    }

    /** The buffers kept between a step's forward and backward pass, made on first use. */
    private Buffer[] saved(String step, long... lengths) {
        Buffer[] buffers = saved.get(step);
        boolean fits = buffers != null && buffers.length == lengths.length;
        for (int i = 0; fits && i < lengths.length; i++) {
            fits = buffers[i].length() >= lengths[i];
        }
        if (!fits) {
            if (buffers != null) {
                for (Buffer b : buffers) {
                    kernels.free(b);
                }
            }
            buffers = new Buffer[lengths.length];
            for (int i = 0; i < lengths.length; i++) {
                buffers[i] = kernels.allocate(lengths[i]);
            }
            saved.put(step, buffers);
        }
        return buffers;
    }

    private Buffer scratch(long length) {
        if (scratch == null || scratch.length() < length) {
            if (scratch != null) {
                kernels.free(scratch);
            }
            scratch = kernels.allocate(length);
        }
        return scratch.slice(0, length);
    }

    /** Allocates the buffers for batches of up to {@code n} samples now rather than at the first pass. */
    public void reserve(int n) {
        ensureCapacity(n);
    }

    /** Makes every per-sample buffer hold at least {@code n} samples. */
    private void ensureCapacity(int n) {
        if (n <= capacity) {
            return;
        }
        freeBatchBuffers();
        capacity = n;
        input = kernels.allocate((long) n * plan.inputShape().size());
        for (Step step : plan.steps()) {
            if (fusion != null && fusion.writesNoBuffer(step) || reluFusion != null && reluFusion.writesNoBuffer(step)) {
                continue;
            }
            activations.put(step.name(), kernels.allocate((long) n * step.out().size()));
            if (training && plan.runsBackward(step)) {
                activationGradients.put(step.name(), kernels.allocate((long) n * step.out().size()));
            }
        }
        if (plan.output() instanceof Step.SoftmaxOutput o) {
            probabilities = kernels.allocate((long) n * o.classes());
            labels = training ? kernels.allocate((long) n * o.classes()) : null;
        }
    }

    private void freeBatchBuffers() {
        for (Buffer b : activations.values()) {
            kernels.free(b);
        }
        for (Buffer b : activationGradients.values()) {
            kernels.free(b);
        }
        for (Buffer[] buffers : saved.values()) {
            for (Buffer b : buffers) {
                kernels.free(b);
            }
        }
        activations.clear();
        activationGradients.clear();
        saved.clear();
        for (Buffer b : new Buffer[]{input, labels, probabilities, scratch}) {
            if (b != null) {
                kernels.free(b);
            }
        }
        input = labels = probabilities = scratch = null;
        capacity = 0;
    }

    @Override
    public void close() {
        freeBatchBuffers();
        for (Buffer b : new Buffer[]{params, state, gradients, velocity, previousVelocity, foldedParams}) {
            if (b != null) {
                kernels.free(b);
            }
        }
    }
}
