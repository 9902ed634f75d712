package org.redtest.engine.cpu;

import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Arrays;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * A convolution layer's helper that calls oneDNN directly instead of through libnd4j's
 * {@code conv2d} ops. libnd4j builds its oneDNN primitives anew on every call, lets oneDNN pick
 * Winograd for the backward-data pass (three times slower than the forward pass here) and reorders
 * the plain NCHW arrays to NHWC and back around each call. Here the primitives are created once per
 * input shape ({@link Plan}) with the direct algorithm and oneDNN's preferred (blocked) layouts, and
 * the weights are reordered once per forward pass and reused by the backward pass.
 *
 * <p>Inputs and outputs are plain NCHW arrays, or channel-blocked ones where {@link BlockedLayouts}
 * keeps an activation in oneDNN's layout between layers (then no reorder runs at all). Anything else
 * (NHWC, other types, dilation, same-mode padding, a failure to build a plan) goes to DL4J's own
 * oneDNN helper, with one log line per layer and shape (blocked arrays are rewritten as plain NCHW
 * around that call).
 */
final class OneDnnConvHelper extends MKLDNNConvHelper {
    private static final Logger LOG = LoggerFactory.getLogger(OneDnnConvHelper.class);

    private static final Field LAYER_OUTPUT;

    static {
        try {
            LAYER_OUTPUT = AbstractLayer.class.getDeclaredField("preOutput");
            LAYER_OUTPUT.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The layer this helper computes for (its cached forward output is set here). */
    private final org.deeplearning4j.nn.layers.convolution.ConvolutionLayer layer;
    private final String layerName;
    /** DL4J hands a helper a zero "dummy" bias for layers without one; this helper leaves it out. */
    private final boolean hasBias;
    /**
     * The layer's activation is a plain ReLU, applied by the convolution primitive as it writes its output
     * (a post-op) instead of in a pass of its own. Its backward pass is unchanged: the derivative of ReLU
     * read from the output is the one read from the input.
     */
    private final boolean fusedRelu;
    /** Whether the last forward pass applied the ReLU (false after a fallback to DL4J's helper). */
    private boolean reluApplied;
    /** The weights never change (an {@link InferenceGraph}'s): each plan reorders them on its first pass only. */
    private boolean weightsFrozen;
    /** The layer reads a network input: inside a {@link BlockedScope} nothing reads its input gradient. */
    private boolean readsNetworkInput;
    private final PlanCache<Plan> plans = new PlanCache<>(LOG, "oneDNN direct convolution");
    /** The layouts of the input and output arrays (plain NCHW unless {@link BlockedLayouts} chose a block). */
    private final LayerLayouts layouts = new LayerLayouts();
    /** The plan and input array of the last forward pass, whose reordered weights the backward pass may reuse. */
    private Plan lastForward;
    private INDArray lastInput;

    OneDnnConvHelper(org.deeplearning4j.nn.layers.convolution.ConvolutionLayer layer, DataType dataType, boolean hasBias,
                     boolean fusedRelu) {
        super(dataType);
        this.layer = layer;
        this.layerName = layer == null ? "?" : layer.conf().getLayer().getLayerName();
        this.hasBias = hasBias;
        this.fusedRelu = fusedRelu;
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

    /**
     * Called before the first pass when this layer reads a network input (no preprocessor, no dropout): RedTest's
     * training then skips the input gradient's backward-data pass, which only DL4J's calculateGradients hands out.
     */
    void readsNetworkInput() {
        readsNetworkInput = true;
    }

    /** Called before the first pass of a graph whose weights stay as they are (inference only). */
    void freezeWeights() {
        weightsFrozen = true;
        plans.clear();
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
                              ConvolutionLayer.AlgoMode mode, ConvolutionLayer.FwdAlgo fwdAlgo,
                              ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
                              LayerWorkspaceMgr workspaceMgr) {
        Plan plan = plan(input, weights, hasBias ? bias : null, kernel, strides, pad, convolutionMode, dilation, format);
        keepForBackward(null); // a new forward pass: what was kept is stale
        reluApplied = plan != null && fusedRelu;
        if (plan == null) {
            lastForward = null;
            // DL4J's helper reads and writes plain NCHW: blocked arrays are rewritten around it
            INDArray out = super.preOutput(layouts.plain(input, false), weights, bias, kernel, strides, pad, mode, fwdAlgo,
                    convolutionMode, dilation, format, workspaceMgr);
            return layouts.fromPlain(out, false, ArrayType.ACTIVATIONS, workspaceMgr);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, plan.outShape);
        plan.forward(input, weights, hasBias ? bias : null, out);
        lastForward = plan;
        lastInput = input;
        return out;
    }

    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        INDArray out = reluApplied ? z : super.activate(z, afn, training);
        if (training && (reluApplied || afn instanceof ActivationIdentity)) {
            keepForBackward(out);
        }
        return out;
    }

    /**
     * Hands the layer its forward output for the backward pass, where DL4J reads a cached one instead of
     * running the convolution again. DL4J's own cache ({@code CacheMode.DEVICE}) copies the output; the
     * output itself stays valid until the backward pass, as no reader changes it. That needs the value the
     * activation's derivative is read from to be the output: true for the identity and for ReLU (its
     * derivative reads the same from output and input).
     */
    private void keepForBackward(INDArray output) {
        if (layer == null) {
            return;
        }
        try {
            LAYER_OUTPUT.set(layer, output);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
                                                     int[] kernel, int[] strides, int[] pad, INDArray biasGradView,
                                                     INDArray weightGradView, IActivation afn,
                                                     ConvolutionLayer.AlgoMode mode,
                                                     ConvolutionLayer.BwdFilterAlgo bwdFilterAlgo,
                                                     ConvolutionLayer.BwdDataAlgo bwdDataAlgo,
                                                     ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
                                                     LayerWorkspaceMgr workspaceMgr) {
        Plan plan = plan(input, weights, hasBias ? biasGradView : null, kernel, strides, pad, convolutionMode,
                dilation, format);
        if (plan == null || !isDense(delta) || !isDense(weightGradView)
                || (biasGradView != null && biasGradView.elementWiseStride() != 1)) {
            Pair<Gradient, INDArray> result = super.backpropGradient(layouts.plain(input, false), weights, bias,
                    layouts.plain(delta, true), kernel, strides, pad, biasGradView, weightGradView, afn, mode,
                    bwdFilterAlgo, bwdDataAlgo, convolutionMode, dilation, format, workspaceMgr);
            if (result != null) {
                result.setSecond(layouts.fromPlain(result.getSecond(), true, ArrayType.ACTIVATION_GRAD, workspaceMgr));
            }
            return result;
        }
        boolean inputGradient = !(readsNetworkInput && BlockedScope.active());
        INDArray gradAtInput = inputGradient
                ? workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape()) : null;
        boolean reuse = lastForward == plan && lastInput == input;
        plan.backward(input, weights, delta, gradAtInput, weightGradView, biasGradView, reuse);
        Gradient g = new DefaultGradient();
        if (biasGradView != null) {
            g.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        g.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        return new Pair<>(g, gradAtInput);
    }

    /**
     * Row-major and contiguous. Strides of size-1 dimensions are ignored: a 1x1 kernel's weight view
     * can carry any stride there, which once sent every 1x1 convolution to DL4J's helper.
     */
    static boolean isDense(INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            return false;
        }
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) != 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }

    /** The plan for this call's shapes, or null when this helper does not handle them. */
    private Plan plan(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
                      ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format) {
        if (format != CNN2DFormat.NCHW || convolutionMode == ConvolutionMode.Same || input.rank() != 4
                || !isDense(input) || !isDense(weights) || (bias != null && bias.dataType() != DataType.FLOAT)
                || (dilation != null && (dilation[0] != 1 || dilation[1] != 1))) {
            return null;
        }
        String key = Arrays.toString(input.shape()) + Arrays.toString(weights.shape()) + Arrays.toString(strides)
                + Arrays.toString(pad) + (bias != null) + layouts.inputTag() + "/" + layouts.outputTag();
        return plans.get(key, layerName, "using DL4J's helper", () -> new Plan(input.shape(), weights.shape(), strides,
                pad, bias != null, fusedRelu, weightsFrozen, layouts.inputTag(), layouts.outputTag()));
    }

    /**
     * oneDNN primitives, layouts and buffers for one input shape. The backward primitives are built on
     * the first backward pass: inference and redundancy measurement never pay for their JIT code.
     */
    static final class Plan {
        final long[] outShape;
        private final boolean hasBias;
        private final dnnl_primitive forward;
        private final dnnl_primitive_desc forwardDesc;
        // descriptors the backward primitives are built from (kept alive with the plan)
        private final dnnl_memory_desc_t anySrc;
        private final dnnl_memory_desc_t anyWeights;
        private final dnnl_memory_desc_t anyDst;
        private final dnnl_memory_desc_t biasMd;
        private final dnnl_memory_desc_t userSrcMd;
        private final dnnl_memory_desc_t userWeightsMd;
        private final dnnl_memory_desc_t userDstMd;
        private final long[] strides;
        private final long[] padLeft;
        private final long[] padRight;
        // user (ND4J) memories: handles are set per call
        private final dnnl_memory userSrc;
        private final dnnl_memory userWeights;
        private final dnnl_memory userBias;
        private final dnnl_memory userDst;
        // the forward primitive's layouts (reorders only where they differ from the user's)
        private final Stage src;
        private final Stage weights;
        private final Stage dst;
        /** The weights never change: once reordered into {@link #weights}' buffer they stay there. */
        private final boolean weightsFrozen;
        private boolean weightsReordered;
        private Backward backward;

        Plan(long[] inShape, long[] wShape, int[] strides, int[] pad, boolean hasBias, boolean relu,
             boolean weightsFrozen, int inputTag, int outputTag) {
            this.hasBias = hasBias;
            this.weightsFrozen = weightsFrozen;
            long n = inShape[0];
            long oh = (inShape[2] + 2L * pad[0] - wShape[2]) / strides[0] + 1;
            long ow = (inShape[3] + 2L * pad[1] - wShape[3]) / strides[1] + 1;
            outShape = new long[]{n, wShape[0], oh, ow};
            this.strides = new long[]{strides[0], strides[1]};
            padLeft = new long[]{pad[0], pad[1]};
            padRight = new long[]{(oh - 1) * strides[0] + wShape[2] - inShape[2] - pad[0],
                    (ow - 1) * strides[1] + wShape[3] - inShape[3] - pad[1]};

            anySrc = OneDnn.desc(inShape, dnnl_format_tag_any);
            anyWeights = OneDnn.desc(wShape, dnnl_format_tag_any);
            anyDst = OneDnn.desc(outShape, dnnl_format_tag_any);
            biasMd = hasBias ? OneDnn.desc(new long[]{wShape[0]}, dnnl_x) : null;
            dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_forward_desc_init(fd, dnnl_forward_training, dnnl_convolution_direct,
                    anySrc, anyWeights, biasMd, anyDst, this.strides, padLeft, padRight), "convolution_forward_desc_init");
            forwardDesc = OneDnn.primitiveDesc(fd, null, relu ? OneDnn.reluPostOp() : null);
            forward = OneDnn.primitive(forwardDesc);

            userSrcMd = OneDnn.desc(inShape, inputTag);
            userWeightsMd = OneDnn.desc(wShape, dnnl_oihw);
            userDstMd = OneDnn.desc(outShape, outputTag);
            userSrc = OneDnn.memory(userSrcMd, null);
            userWeights = OneDnn.memory(userWeightsMd, null);
            userBias = hasBias ? OneDnn.memory(biasMd, null) : null;
            userDst = OneDnn.memory(userDstMd, null);
            src = Stage.input(userSrcMd, OneDnn.query(forwardDesc, dnnl_query_src_md), Scratch.SRC);
            weights = Stage.input(userWeightsMd, OneDnn.query(forwardDesc, dnnl_query_weights_md), -1);
            dst = Stage.output(OneDnn.query(forwardDesc, dnnl_query_dst_md), userDstMd, Scratch.DST);
        }

        void forward(INDArray input, INDArray w, INDArray bias, INDArray out) {
            OneDnn.bind(userSrc, input);
            OneDnn.bind(userWeights, w);
            OneDnn.bind(userDst, out);
            dnnl_memory srcM = src.in(userSrc);
            dnnl_memory wM = weightsFrozen && weightsReordered ? weights.current(userWeights) : weights.in(userWeights);
            weightsReordered = true;
            dnnl_memory dstM = dst.target(userDst);
            if (hasBias) {
                OneDnn.bind(userBias, bias);
                OneDnn.execute(forward, DNNL_ARG_SRC, srcM, DNNL_ARG_WEIGHTS, wM, DNNL_ARG_BIAS, userBias,
                        DNNL_ARG_DST, dstM);
            } else {
                OneDnn.execute(forward, DNNL_ARG_SRC, srcM, DNNL_ARG_WEIGHTS, wM, DNNL_ARG_DST, dstM);
            }
            dst.out(userDst);
        }

        /**
         * Gradients of the input, weights and bias. {@code reuseForward}: the last forward pass saw this
         * very input array with the current weights, so its reordered weights still hold.
         */
        void backward(INDArray input, INDArray w, INDArray delta, INDArray gradAtInput, INDArray weightGrad,
                      INDArray biasGrad, boolean reuseForward) {
            if (backward == null) {
                backward = new Backward(this);
            }
            backward.run(input, w, delta, gradAtInput, weightGrad, biasGrad, reuseForward);
        }
    }

    /** The backward-data and backward-weights primitives of a {@link Plan}, with their layouts. */
    static final class Backward {
        private final Plan plan;
        private final dnnl_primitive data;
        private final dnnl_primitive weights;
        private final dnnl_memory userDiffDst;
        private final dnnl_memory userDiffSrc;
        private final dnnl_memory userDiffWeights;
        private final dnnl_memory userDiffBias;
        private final Stage diffDst;
        private final Stage dataWeights;
        private final Stage diffSrc;
        private final Stage weightsSrc;
        private final Stage weightsDiffDst;
        private final Stage diffWeights;
        private final boolean dataTakesForwardWeights;
        private final boolean weightsTakeDataDiffDst;

        Backward(Plan p) {
            plan = p;
            dnnl_convolution_desc_t bd = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_backward_data_desc_init(bd, dnnl_convolution_direct, p.anySrc, p.anyWeights,
                    p.anyDst, p.strides, p.padLeft, p.padRight), "convolution_backward_data_desc_init");
            dnnl_primitive_desc dataPd = OneDnn.primitiveDesc(bd, p.forwardDesc);
            dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, p.anySrc,
                    p.anyWeights, p.biasMd, p.anyDst, p.strides, p.padLeft, p.padRight),
                    "convolution_backward_weights_desc_init");
            dnnl_primitive_desc weightsPd = OneDnn.primitiveDesc(wd, p.forwardDesc);
            data = OneDnn.primitive(dataPd);
            weights = OneDnn.primitive(weightsPd);

            userDiffDst = OneDnn.memory(p.userDstMd, null);
            userDiffSrc = OneDnn.memory(p.userSrcMd, null);
            userDiffWeights = OneDnn.memory(p.userWeightsMd, null);
            userDiffBias = p.hasBias ? OneDnn.memory(p.biasMd, null) : null;
            diffDst = Stage.input(p.userDstMd, OneDnn.query(dataPd, dnnl_query_diff_dst_md), Scratch.DIFF_DST);
            dataWeights = Stage.input(p.userWeightsMd, OneDnn.query(dataPd, dnnl_query_weights_md), -1);
            diffSrc = Stage.output(OneDnn.query(dataPd, dnnl_query_diff_src_md), p.userSrcMd, Scratch.DIFF_SRC);
            weightsSrc = Stage.input(p.userSrcMd, OneDnn.query(weightsPd, dnnl_query_src_md), Scratch.SRC);
            weightsDiffDst = Stage.input(p.userDstMd, OneDnn.query(weightsPd, dnnl_query_diff_dst_md),
                    Scratch.DIFF_DST_WEIGHTS);
            diffWeights = Stage.output(OneDnn.query(weightsPd, dnnl_query_diff_weights_md), p.userWeightsMd,
                    Scratch.DIFF_WEIGHTS);
            dataTakesForwardWeights = OneDnn.same(OneDnn.query(dataPd, dnnl_query_weights_md),
                    OneDnn.query(p.forwardDesc, dnnl_query_weights_md));
            weightsTakeDataDiffDst = OneDnn.same(OneDnn.query(weightsPd, dnnl_query_diff_dst_md),
                    OneDnn.query(dataPd, dnnl_query_diff_dst_md));
        }

        void run(INDArray input, INDArray w, INDArray delta, INDArray gradAtInput, INDArray weightGrad,
                 INDArray biasGrad, boolean reuseForward) {
            OneDnn.bind(userDiffDst, delta);
            OneDnn.bind(userDiffWeights, weightGrad);
            dnnl_memory diffDstM = diffDst.in(userDiffDst);

            // weights gradient: the input in the backward-weights layout (scratch buffers are shared
            // between layers, so the forward pass's reordered input is gone by now)
            OneDnn.bind(plan.userSrc, input);
            dnnl_memory srcM = weightsSrc.in(plan.userSrc);
            dnnl_memory wDiffDstM = weightsTakeDataDiffDst ? diffDstM : weightsDiffDst.in(userDiffDst);
            dnnl_memory diffWM = diffWeights.target(userDiffWeights);
            if (plan.hasBias && biasGrad != null) {
                OneDnn.bind(userDiffBias, biasGrad);
                OneDnn.execute(weights, DNNL_ARG_SRC, srcM, DNNL_ARG_DIFF_DST, wDiffDstM,
                        DNNL_ARG_DIFF_WEIGHTS, diffWM, DNNL_ARG_DIFF_BIAS, userDiffBias);
            } else {
                OneDnn.execute(weights, DNNL_ARG_SRC, srcM, DNNL_ARG_DIFF_DST, wDiffDstM,
                        DNNL_ARG_DIFF_WEIGHTS, diffWM);
            }
            diffWeights.out(userDiffWeights);

            if (gradAtInput == null) {
                return; // nothing reads it
            }
            // input gradient: the weights in the backward-data layout
            OneDnn.bind(userDiffSrc, gradAtInput);
            dnnl_memory wM;
            if (reuseForward && dataTakesForwardWeights) {
                wM = plan.weights.current(plan.userWeights);
            } else {
                OneDnn.bind(plan.userWeights, w);
                wM = dataWeights.in(plan.userWeights);
            }
            dnnl_memory diffSrcM = diffSrc.target(userDiffSrc);
            OneDnn.execute(data, DNNL_ARG_DIFF_DST, diffDstM, DNNL_ARG_WEIGHTS, wM, DNNL_ARG_DIFF_SRC, diffSrcM);
            diffSrc.out(userDiffSrc);
        }
    }

    /**
     * One tensor's way between the user's plain layout and a primitive's: a reorder and a buffer in the
     * primitive's layout when the two differ, nothing otherwise. Activation-sized buffers come from
     * {@link Scratch} (shared by all layers of the thread, so memory does not grow with depth); the
     * small weight buffers are the plan's own.
     */
    static final class Stage {
        private final dnnl_primitive reorder;
        private final dnnl_memory memory;
        private final long bytes;
        private final int slot;
        private final OneDnn.Owned own;

        private Stage(dnnl_primitive reorder, dnnl_memory_desc_t primitiveSide, int slot) {
            this.reorder = reorder;
            this.slot = slot;
            if (reorder == null) {
                memory = null;
                bytes = 0;
                own = null;
            } else if (slot < 0) {
                own = OneDnn.allocate(primitiveSide);
                memory = own.memory();
                bytes = 0;
            } else {
                own = null;
                memory = OneDnn.memory(primitiveSide, null);
                bytes = dnnl_memory_desc_get_size(primitiveSide);
            }
        }

        /** A primitive input: user layout to primitive layout. A negative slot: the stage owns its buffer. */
        static Stage input(dnnl_memory_desc_t user, dnnl_memory_desc_t primitive, int slot) {
            return new Stage(OneDnn.reorder(user, primitive), primitive, slot);
        }

        /** A primitive output: primitive layout to user layout. */
        static Stage output(dnnl_memory_desc_t primitive, dnnl_memory_desc_t user, int slot) {
            return new Stage(OneDnn.reorder(primitive, user), primitive, slot);
        }

        /** Reorders the user memory into this stage's buffer and returns what the primitive reads. */
        dnnl_memory in(dnnl_memory user) {
            if (reorder == null) {
                return user;
            }
            bindScratch();
            OneDnn.reorder(reorder, user, memory);
            return memory;
        }

        /** What an earlier {@link #in} left for the primitive (only for stages with their own buffer). */
        dnnl_memory current(dnnl_memory user) {
            return reorder == null ? user : memory;
        }

        /** Where the primitive writes an output. */
        dnnl_memory target(dnnl_memory user) {
            if (reorder == null) {
                return user;
            }
            bindScratch();
            return memory;
        }

        /** Copies an output written by the primitive into the user memory. */
        void out(dnnl_memory user) {
            if (reorder != null) {
                OneDnn.reorder(reorder, memory, user);
            }
        }

        private void bindScratch() {
            if (own == null) {
                OneDnn.check(dnnl_memory_set_data_handle(memory, Scratch.get(slot, bytes)), "memory_set_data_handle");
            }
        }
    }

    /** Per-thread scratch buffers in oneDNN's layouts, one per slot, grown to the largest layer's need. */
    static final class Scratch {
        static final int SRC = 0;
        static final int DST = 1;
        static final int DIFF_DST = 2;
        static final int DIFF_DST_WEIGHTS = 3;
        static final int DIFF_SRC = 4;
        static final int DIFF_WEIGHTS = 5;
        private static final ThreadLocal<FloatPointer[]> BUFFERS = ThreadLocal.withInitial(() -> new FloatPointer[6]);

        private Scratch() {
        }

        static FloatPointer get(int slot, long bytes) {
            FloatPointer[] buffers = BUFFERS.get();
            long floats = Math.max(1, (bytes + 3) / 4);
            if (buffers[slot] == null || buffers[slot].capacity() < floats) {
                if (buffers[slot] != null) {
                    buffers[slot].close();
                }
                buffers[slot] = new FloatPointer(floats);
            }
            return buffers[slot];
        }
    }
}
