package org.redtest.engine.cpu;

import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Batch norm (training: batch statistics, normalisation, backward; inference: normalisation with the
 * running statistics) as oneDNN primitives called directly, built once per shape and run in a
 * channel-blocked layout (see {@link Plan}). oneDNN's vectorised kernels do in two passes what
 * {@link FastBatchNormHelper}'s Java loops do in four, and what DL4J's helper does through strided
 * ND4J reductions and libnd4j's {@code batchnorm_bp}. Anything this class cannot handle goes to the
 * Java loops (training) or DL4J's helper (inference).
 */
final class OneDnnBatchNormHelper extends FastBatchNormHelper {
    private static final Logger LOG = LoggerFactory.getLogger(OneDnnBatchNormHelper.class);

    private final String layerName;
    private final PlanCache<Plan> plans = new PlanCache<>(LOG, "oneDNN batch norm");
    /** The layouts of the input and output arrays (plain NCHW unless {@link BlockedLayouts} chose a block). */
    private final LayerLayouts layouts = new LayerLayouts();
    /** The plan of the last training forward pass, whose statistics the backward pass reads. */
    private Plan lastForward;
    /** A plain ReLU layer alone reads this layer's output: training inside a {@link BlockedScope} applies it here. */
    private boolean reluFollows;
    /** The output of the last forward pass when it had the ReLU applied, else null. */
    private INDArray lastReluOutput;

    OneDnnBatchNormHelper(DataType dataType, String layerName) {
        super(dataType);
        this.layerName = layerName;
    }

    /** Called before the first pass: the layouts {@link BlockedLayouts} chose for this layer's input and output. */
    void useLayouts(int inputTag, int outputTag) {
        layouts.use(inputTag, outputTag);
        plans.clear();
    }

    /** True when this layer reads or writes channel-blocked arrays (inside a {@link BlockedScope}). */
    boolean keepsBlocked() {
        return layouts.configured();
    }

    /** Called before the first pass when a plain ReLU layer alone reads this layer's output. */
    void applyFollowingRelu() {
        reluFollows = true;
        plans.clear();
    }

    /** True when {@code output} is this layer's last output and already had the following ReLU applied. */
    boolean appliedReluTo(INDArray output) {
        return output != null && output == lastReluOutput;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        lastForward = null;
        lastReluOutput = null;
        boolean handled = gamma != null && beta != null && isDenseFloatNchw(x, format) && isContiguousVector(gamma)
                && isContiguousVector(beta) && (training || (isContiguousVector(mean) && isContiguousVector(var)));
        // the ReLU's forward pass moves here in RedTest's training; its backward pass stays in its layer
        boolean relu = training && reluFollows && BlockedScope.active();
        Plan plan = handled ? plan(x, eps, training, relu) : null;
        if (plan == null) {
            // the Java loops and DL4J's helper read and write plain NCHW: blocked arrays are rewritten around them
            INDArray out = super.preOutput(layouts.plain(x, false), training, shape, gamma, beta, mean, var, decay, eps,
                    format, workspaceMgr);
            return layouts.fromPlain(out, false, ArrayType.ACTIVATIONS, workspaceMgr);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape());
        if (!training) {
            plan.forward(x, gamma, beta, mean, var, out);
            return out;
        }
        int channels = (int) x.size(1);
        INDArray batchMean = cache(MEAN_CACHE, channels);
        INDArray batchVar = cache(VAR_CACHE, channels);
        plan.forward(x, gamma, beta, batchMean, batchVar, out);
        lastForward = plan;
        lastReluOutput = relu ? out : null;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        Plan plan = lastForward;
        if (plan == null || gamma == null || beta == null || dGammaView == null || !isDenseFloatNchw(input, format)
                || !Arrays.equals(plan.shape, input.shape()) || !isContiguousVector(gamma)
                || !isContiguousVector(dGammaView) || !isContiguousVector(dBetaView)
                || (layouts.outputTag() != OneDnn.PLAIN && !isDenseFloatNchw(epsilon, format))) {
            Pair<Gradient, INDArray> result = super.backpropGradient(layouts.plain(input, false), layouts.plain(epsilon, true),
                    shape, gamma, beta, dGammaView, dBetaView, eps, format, workspaceMgr);
            if (result != null) {
                result.setSecond(layouts.fromPlain(result.getSecond(), true, ArrayType.ACTIVATION_GRAD, workspaceMgr));
            }
            return result;
        }
        INDArray dy = isDenseFloatNchw(epsilon, format) ? epsilon : epsilon.dup('c');
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape());
        plan.backward(input, dy, gamma, beta, (INDArray) MEAN_CACHE.get(this), (INDArray) VAR_CACHE.get(this), dx,
                dGammaView, dBetaView);
        return result(dGammaView, dBetaView, dx);
    }

    private Plan plan(INDArray x, double eps, boolean training, boolean relu) {
        String key = Arrays.toString(x.shape()) + eps + training + relu + layouts.inputTag() + "/" + layouts.outputTag();
        return plans.get(key, layerName, "using the Java loops",
                () -> new Plan(x.shape(), (float) eps, training, relu, layouts.inputTag(), layouts.outputTag()));
    }

    /**
     * Primitives for one input shape and pass (training or inference). oneDNN's batch norm on plain
     * NCHW arrays is its slow C++ implementation ({@code ncsp_bnorm}, several times a convolution's
     * time per layer here); on channel-blocked arrays ({@code nChw16c}, {@code nChw8c}) it runs its
     * vectorised JIT kernels, which even with a reorder in and out of the block layout cost far less.
     * The blocked copies live in the per-thread scratch buffers the convolutions use.
     */
    static final class Plan {
        private final long[] shape;
        private final boolean training;
        private final dnnl_primitive forward;
        private final dnnl_primitive_desc forwardDesc;
        /** The forward pass the backward primitive is built for: without the ReLU, which its layer differentiates. */
        private final dnnl_primitive_desc backwardHint;
        /** Where oneDNN's forward pass with ReLU writes its mask (unused: the ReLU layer runs its own backward). */
        private final OneDnn.Owned workspace;
        /** The layouts of the arrays DL4J hands over: input (and its gradient), output (and its gradient). */
        private final dnnl_memory_desc_t userIn;
        private final dnnl_memory_desc_t userOut;
        private final dnnl_memory_desc_t layout;
        private final float eps;
        private final int flags;
        private final dnnl_memory src;
        private final dnnl_memory dst;
        private final dnnl_memory scale;
        private final dnnl_memory shift;
        private final dnnl_memory mean;
        private final dnnl_memory variance;
        private final OneDnnConvHelper.Stage srcStage;
        private final OneDnnConvHelper.Stage dstStage;
        private Backward backward;

        Plan(long[] shape, float eps, boolean training, boolean relu, int inputTag, int outputTag) {
            this.shape = shape.clone();
            this.training = training;
            this.eps = eps;
            userIn = OneDnn.desc(shape, inputTag);
            userOut = OneDnn.desc(shape, outputTag);
            int block = OneDnn.preferredChannelBlock();
            layout = OneDnn.desc(shape, block > 0 && shape[1] % block == 0 ? OneDnn.blockedTag(block)
                    : shape[1] % 16 == 0 ? dnnl_aBcd16b : shape[1] % 8 == 0 ? dnnl_aBcd8b : dnnl_nchw);
            dnnl_memory_desc_t channels = OneDnn.desc(new long[]{shape[1]}, dnnl_x);
            flags = dnnl_use_scale | dnnl_use_shift | (training ? 0 : dnnl_use_global_stats);
            forwardDesc = forwardDesc(training, relu ? flags | dnnl_fuse_norm_relu : flags);
            forward = OneDnn.primitive(forwardDesc);
            backwardHint = relu ? forwardDesc(training, flags) : forwardDesc;
            workspace = relu ? OneDnn.allocate(OneDnn.query(forwardDesc, dnnl_query_workspace_md)) : null;
            src = OneDnn.memory(userIn, null);
            dst = OneDnn.memory(userOut, null);
            scale = OneDnn.memory(channels, null);
            shift = OneDnn.memory(channels, null);
            mean = OneDnn.memory(channels, null);
            variance = OneDnn.memory(channels, null);
            srcStage = OneDnnConvHelper.Stage.input(userIn, layout, OneDnnConvHelper.Scratch.SRC);
            dstStage = OneDnnConvHelper.Stage.output(layout, userOut, OneDnnConvHelper.Scratch.DST);
        }

        private dnnl_primitive_desc forwardDesc(boolean training, int withFlags) {
            dnnl_batch_normalization_desc_t fd = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_forward_desc_init(fd,
                    training ? dnnl_forward_training : dnnl_forward_inference, layout, eps, withFlags),
                    "batch_normalization_forward_desc_init");
            return OneDnn.primitiveDesc(fd, null);
        }

        /**
         * Training: normalises with the batch statistics and writes them into {@code batchMean} and
         * {@code batchVar}. Inference: normalises with the given running statistics.
         */
        void forward(INDArray x, INDArray gamma, INDArray beta, INDArray batchMean, INDArray batchVar, INDArray out) {
            OneDnn.bind(src, x);
            OneDnn.bind(dst, out);
            OneDnn.bind(scale, gamma);
            OneDnn.bind(shift, beta);
            OneDnn.bind(mean, batchMean);
            OneDnn.bind(variance, batchVar);
            dnnl_memory srcM = srcStage.in(src);
            dnnl_memory dstM = dstStage.target(dst);
            if (workspace != null) {
                OneDnn.execute(forward, DNNL_ARG_SRC, srcM, DNNL_ARG_DST, dstM, DNNL_ARG_SCALE, scale,
                        DNNL_ARG_SHIFT, shift, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance,
                        DNNL_ARG_WORKSPACE, workspace.memory());
            } else {
                OneDnn.execute(forward, DNNL_ARG_SRC, srcM, DNNL_ARG_DST, dstM, DNNL_ARG_SCALE, scale,
                        DNNL_ARG_SHIFT, shift, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance);
            }
            dstStage.out(dst);
        }

        void backward(INDArray x, INDArray dy, INDArray gamma, INDArray beta, INDArray batchMean, INDArray batchVar,
                      INDArray dx, INDArray dGamma, INDArray dBeta) {
            if (backward == null) {
                backward = new Backward(this);
            }
            backward.run(x, dy, gamma, beta, batchMean, batchVar, dx, dGamma, dBeta);
        }
    }

    /** The backward primitive of a training {@link Plan}, built on its first backward pass. */
    static final class Backward {
        private final Plan plan;
        private final dnnl_primitive primitive;
        private final dnnl_memory diffDst;
        private final dnnl_memory diffSrc;
        private final dnnl_memory diffScale;
        private final dnnl_memory diffShift;
        private final OneDnnConvHelper.Stage diffDstStage;
        private final OneDnnConvHelper.Stage diffSrcStage;

        Backward(Plan p) {
            plan = p;
            dnnl_batch_normalization_desc_t bd = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_backward_desc_init(bd, dnnl_backward, p.layout, p.layout, p.eps,
                    p.flags), "batch_normalization_backward_desc_init");
            primitive = OneDnn.primitive(OneDnn.primitiveDesc(bd, p.backwardHint));
            dnnl_memory_desc_t channels = OneDnn.desc(new long[]{p.shape[1]}, dnnl_x);
            diffDst = OneDnn.memory(p.userOut, null);
            diffSrc = OneDnn.memory(p.userIn, null);
            diffScale = OneDnn.memory(channels, null);
            diffShift = OneDnn.memory(channels, null);
            diffDstStage = OneDnnConvHelper.Stage.input(p.userOut, p.layout, OneDnnConvHelper.Scratch.DIFF_DST);
            diffSrcStage = OneDnnConvHelper.Stage.output(p.layout, p.userIn, OneDnnConvHelper.Scratch.DIFF_SRC);
        }

        void run(INDArray x, INDArray dy, INDArray gamma, INDArray beta, INDArray batchMean, INDArray batchVar,
                 INDArray dx, INDArray dGamma, INDArray dBeta) {
            OneDnn.bind(plan.src, x);
            OneDnn.bind(diffDst, dy);
            OneDnn.bind(diffSrc, dx);
            OneDnn.bind(plan.scale, gamma);
            OneDnn.bind(plan.shift, beta);
            OneDnn.bind(plan.mean, batchMean);
            OneDnn.bind(plan.variance, batchVar);
            OneDnn.bind(diffScale, dGamma);
            OneDnn.bind(diffShift, dBeta);
            dnnl_memory srcM = plan.srcStage.in(plan.src);
            dnnl_memory diffDstM = diffDstStage.in(diffDst);
            dnnl_memory diffSrcM = diffSrcStage.target(diffSrc);
            OneDnn.execute(primitive, DNNL_ARG_SRC, srcM, DNNL_ARG_MEAN, plan.mean, DNNL_ARG_VARIANCE,
                    plan.variance, DNNL_ARG_DIFF_DST, diffDstM, DNNL_ARG_SCALE, plan.scale, DNNL_ARG_SHIFT,
                    plan.shift, DNNL_ARG_DIFF_SRC, diffSrcM, DNNL_ARG_DIFF_SCALE, diffScale, DNNL_ARG_DIFF_SHIFT,
                    diffShift);
            diffSrcStage.out(diffSrc);
        }
    }
}
