package org.redtest.engine.cpu;

import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.redtest.engine.plan.ConvShape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * One convolution shape at one batch size as oneDNN primitives on activations in their
 * {@link ActivationLayout}s: the layouts are fixed, so oneDNN picks kernels that read and write them
 * directly (no activation reorder, ever), Winograd ones where it has them; only the small weight tensors
 * are reordered between our plain {@code oihw} and the kernels' layout. The backward primitives are built
 * on the first backward call.
 */
final class ConvPrimitives {
    /** The primitives' layouts of input and output: the activations' own, or nhwc for both where these differ. */
    private final dnnl_memory_desc_t srcMd;
    private final dnnl_memory_desc_t dstMd;
    private final dnnl_memory_desc_t userSrcMd;
    private final dnnl_memory_desc_t userDstMd;
    /** Between the activations' layouts and the primitives' (nothing where they agree). */
    private final Staged srcStage;
    private final Staged dstStage;
    private final dnnl_memory_desc_t anyWeights;
    private final dnnl_memory_desc_t plainWeights;
    private final dnnl_memory_desc_t biasMd;
    private final long[] strides;
    private final long[] padLeft;
    private final long[] padRight;
    private final dnnl_primitive_desc forwardDesc;
    /**
     * Winograd where oneDNN has it for the shape and layouts (3x3, stride 1, channel-blocked), else direct; the
     * backward-weights pass is always direct.
     */
    private final int algorithm;
    private final dnnl_primitive forward;
    private final dnnl_memory src;
    private final dnnl_memory dst;
    private final dnnl_memory weights;
    private final dnnl_memory bias;
    private final Staged forwardWeights;
    /** The output buffer holds an addend the convolution adds its result to (a sum post-op). */
    private final boolean sumsIntoOutput;
    /** Inference only: the weights never change, so each weight buffer is reordered once (by its address). */
    private final Map<Long, dnnl_memory> frozenWeights;
    private Backward backward;

    /** A training convolution: every pass reorders the weights, which change between steps. */
    ConvPrimitives(ConvShape s, int n) {
        this(s, n, false, false, false);
    }

    /**
     * An inference convolution: its weights never change, and with {@code add} and {@code relu} it writes
     * max(conv(x) + y, 0), adding what the output buffer held and applying the ReLU as oneDNN post-ops.
     * (A binary post-op that reads the addend from a buffer of its own would spare the copy into y, but it
     * takes oneDNN 2.5 off its fastest nhwc kernels: 3.7 against 2.8 ms per call at 16 channels here.)
     */
    static ConvPrimitives inference(ConvShape s, int n, boolean add, boolean relu) {
        return new ConvPrimitives(s, n, true, add, relu);
    }

    private ConvPrimitives(ConvShape s, int n, boolean inference, boolean add, boolean relu) {
        long[] in = {n, s.in().channels(), s.in().height(), s.in().width()};
        long[] out = {n, s.out().channels(), s.out().height(), s.out().width()};
        long[] w = {s.out().channels(), s.in().channels(), s.kernel(), s.kernel()};
        int inTag = ActivationLayout.tag(s.in().channels());
        int outTag = ActivationLayout.tag(s.out().channels());
        userSrcMd = OneDnn.desc(in, inTag);
        userDstMd = OneDnn.desc(out, outTag);
        // oneDNN 2.5 has only its reference kernel for a convolution between two different layouts
        // (nhwc in, channel-blocked out): such a convolution runs on nhwc and reorders the blocked side
        srcMd = inTag == outTag ? userSrcMd : OneDnn.desc(in, dnnl_nhwc);
        dstMd = inTag == outTag ? userDstMd : OneDnn.desc(out, dnnl_nhwc);
        srcStage = Staged.input(userSrcMd, srcMd);
        dstStage = Staged.output(dstMd, userDstMd);
        anyWeights = OneDnn.desc(w, dnnl_format_tag_any);
        plainWeights = OneDnn.desc(w, dnnl_oihw);
        biasMd = s.bias() ? OneDnn.desc(new long[]{s.out().channels()}, dnnl_x) : null;
        strides = new long[]{s.stride(), s.stride()};
        padLeft = new long[]{s.padding(), s.padding()};
        padRight = new long[]{
                (long) (s.out().height() - 1) * s.stride() + s.kernel() - s.in().height() - s.padding(),
                (long) (s.out().width() - 1) * s.stride() + s.kernel() - s.in().width() - s.padding()};
        boolean winograd = ActivationLayout.blocked(s.in().channels()) && ActivationLayout.blocked(s.out().channels())
                && s.kernel() == 3 && s.stride() == 1;
        dnnl_primitive_desc pd = winograd ? forwardDesc(dnnl_convolution_winograd, inference, add, relu) : null;
        algorithm = pd != null ? dnnl_convolution_winograd : dnnl_convolution_direct;
        forwardDesc = pd != null ? pd : forwardDesc(dnnl_convolution_direct, inference, add, relu);
        if (forwardDesc == null) {
            throw new IllegalStateException("oneDNN has no convolution for " + s + " at batch size " + n);
        }
        frozenWeights = inference ? new HashMap<>() : null;
        sumsIntoOutput = add;
        forward = OneDnn.primitive(forwardDesc);
        src = OneDnn.memory(userSrcMd, null);
        dst = OneDnn.memory(userDstMd, null);
        weights = OneDnn.memory(plainWeights, null);
        bias = s.bias() ? OneDnn.memory(biasMd, null) : null;
        forwardWeights = Staged.input(plainWeights, OneDnn.query(forwardDesc, dnnl_query_weights_md));
    }

    /** The forward primitive's descriptor with {@code algorithm}, or null when oneDNN has none for this shape. */
    private dnnl_primitive_desc forwardDesc(int algorithm, boolean inference, boolean add, boolean relu) {
        dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
        OneDnn.check(dnnl_convolution_forward_desc_init(fd, inference ? dnnl_forward_inference : dnnl_forward_training,
                algorithm, srcMd, anyWeights, biasMd, dstMd, strides, padLeft, padRight),
                "convolution_forward_desc_init");
        try {
            return OneDnn.primitiveDesc(fd, null, add || relu ? OneDnn.postOps(add, relu) : null);
        } catch (IllegalStateException e) {
            return null; // unimplemented: the caller tries another algorithm
        }
    }

    /** y = conv(x), or for an inference convolution with post-ops their result (y holding the addend before). */
    void forward(NativeBuffer x, NativeBuffer w, NativeBuffer b, NativeBuffer y) {
        OneDnn.bind(src, x.address());
        OneDnn.bind(dst, y.address());
        OneDnn.bind(weights, w.address());
        dnnl_memory wM = frozenWeights == null ? forwardWeights.from(weights)
                : frozenWeights.computeIfAbsent(w.address(), a -> forwardWeights.copy(weights));
        dnnl_memory srcM = srcStage.from(src);
        dnnl_memory dstM = sumsIntoOutput ? dstStage.fromOutput(dst) : dstStage.target(dst);
        List<Object> args = new ArrayList<>(List.of(DNNL_ARG_SRC, srcM, DNNL_ARG_WEIGHTS, wM, DNNL_ARG_DST, dstM));
        if (bias != null) {
            OneDnn.bind(bias, b.address());
            args.addAll(List.of(DNNL_ARG_BIAS, bias));
        }
        OneDnn.execute(forward, args.toArray());
        dstStage.to(dst);
    }

    /** dx = the input gradient (overwritten). */
    void backwardData(NativeBuffer dy, NativeBuffer w, NativeBuffer dx) {
        backward().data(dy, w, dx);
    }

    /** dW (oihw) and db overwritten. */
    void backwardParams(NativeBuffer x, NativeBuffer dy, NativeBuffer dw, NativeBuffer db) {
        backward().params(x, dy, dw, db);
    }

    private Backward backward() {
        if (backward == null) {
            backward = new Backward();
        }
        return backward;
    }

    private final class Backward {
        private final dnnl_primitive data;
        private final dnnl_primitive params;
        private final dnnl_memory diffDst = OneDnn.memory(userDstMd, null);
        private final dnnl_memory diffSrc = OneDnn.memory(userSrcMd, null);
        private final Staged diffDstStage = Staged.input(userDstMd, dstMd);
        private final Staged diffSrcStage = Staged.output(srcMd, userSrcMd);
        private final dnnl_memory diffWeights = OneDnn.memory(plainWeights, null);
        private final dnnl_memory diffBias = biasMd == null ? null : OneDnn.memory(biasMd, null);
        private final Staged dataWeights;
        private final Staged paramsDiffWeights;

        Backward() {
            dnnl_convolution_desc_t bd = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_backward_data_desc_init(bd, algorithm, srcMd, anyWeights,
                    dstMd, strides, padLeft, padRight), "convolution_backward_data_desc_init");
            dnnl_primitive_desc dataPd = OneDnn.primitiveDesc(bd, forwardDesc);
            dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
            // direct always: oneDNN 2.5.2's Winograd backward-weights kernel crashes the process (SIGSEGV) at
            // some batch sizes (1-31 and 127 of those tried, at 32 and 64 channels)
            OneDnn.check(dnnl_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, srcMd, anyWeights,
                    biasMd, dstMd, strides, padLeft, padRight), "convolution_backward_weights_desc_init");
            dnnl_primitive_desc paramsPd = OneDnn.primitiveDesc(wd, algorithm == dnnl_convolution_direct ? forwardDesc
                    : forwardDesc(dnnl_convolution_direct, false, false, false));
            data = OneDnn.primitive(dataPd);
            params = OneDnn.primitive(paramsPd);
            dataWeights = Staged.input(plainWeights, OneDnn.query(dataPd, dnnl_query_weights_md));
            paramsDiffWeights = Staged.output(OneDnn.query(paramsPd, dnnl_query_diff_weights_md), plainWeights);
        }

        void data(NativeBuffer dy, NativeBuffer w, NativeBuffer dx) {
            OneDnn.bind(diffDst, dy.address());
            OneDnn.bind(diffSrc, dx.address());
            OneDnn.bind(weights, w.address());
            dnnl_memory wM = dataWeights.from(weights);
            OneDnn.execute(data, DNNL_ARG_DIFF_DST, diffDstStage.from(diffDst), DNNL_ARG_WEIGHTS, wM,
                    DNNL_ARG_DIFF_SRC, diffSrcStage.target(diffSrc));
            diffSrcStage.to(diffSrc);
        }

        void params(NativeBuffer x, NativeBuffer dy, NativeBuffer dw, NativeBuffer db) {
            OneDnn.bind(src, x.address());
            OneDnn.bind(diffDst, dy.address());
            OneDnn.bind(diffWeights, dw.address());
            dnnl_memory dwM = paramsDiffWeights.target(diffWeights);
            if (diffBias != null && db != null) {
                OneDnn.bind(diffBias, db.address());
                OneDnn.execute(params, DNNL_ARG_SRC, srcStage.from(src), DNNL_ARG_DIFF_DST, diffDstStage.from(diffDst),
                        DNNL_ARG_DIFF_WEIGHTS, dwM,
                        DNNL_ARG_DIFF_BIAS, diffBias);
            } else {
                OneDnn.execute(params, DNNL_ARG_SRC, srcStage.from(src), DNNL_ARG_DIFF_DST, diffDstStage.from(diffDst),
                        DNNL_ARG_DIFF_WEIGHTS, dwM);
            }
            paramsDiffWeights.to(diffWeights);
        }
    }

    /**
     * A tensor's way between our layout and a primitive's: a reorder into (or out of) a buffer of its own when
     * the two differ, nothing otherwise.
     */
    private static final class Staged {
        private final dnnl_primitive reorder;
        private final OneDnn.Owned own;
        private final dnnl_memory_desc_t primitiveSide;
        private final dnnl_memory_desc_t plainSide;
        /** The reorder the other way (plain to the primitive's), made on first use. */
        private dnnl_primitive back;
        private final List<OneDnn.Owned> owned = new ArrayList<>();

        /** {@code primitiveSide}: the layout of the buffer this stage owns (the primitive's). */
        private Staged(dnnl_memory_desc_t from, dnnl_memory_desc_t to, dnnl_memory_desc_t primitiveSide) {
            reorder = OneDnn.reorder(from, to);
            own = reorder == null ? null : OneDnn.allocate(primitiveSide);
            this.primitiveSide = primitiveSide;
            this.plainSide = primitiveSide == to ? from : to;
        }

        static Staged input(dnnl_memory_desc_t plain, dnnl_memory_desc_t primitive) {
            return new Staged(plain, primitive, primitive);
        }

        static Staged output(dnnl_memory_desc_t primitive, dnnl_memory_desc_t plain) {
            return new Staged(primitive, plain, primitive);
        }

        /** The primitive's input: {@code plain} reordered into this stage's buffer, or {@code plain} itself. */
        dnnl_memory from(dnnl_memory plain) {
            if (reorder == null) {
                return plain;
            }
            OneDnn.reorder(reorder, plain, own.memory());
            return own.memory();
        }

        /** {@code plain} reordered into a buffer of its own (kept by the returned memory's owner). */
        dnnl_memory copy(dnnl_memory plain) {
            if (reorder == null) {
                return plain;
            }
            OneDnn.Owned o = OneDnn.allocate(primitiveSide);
            OneDnn.reorder(reorder, plain, o.memory());
            owned.add(o); // the buffer lives as long as the stage
            return o.memory();
        }

        /** An output stage's buffer holding what {@code plain} holds (for a primitive that adds to its output). */
        dnnl_memory fromOutput(dnnl_memory plain) {
            if (reorder == null) {
                return plain;
            }
            if (back == null) {
                back = OneDnn.reorder(plainSide, primitiveSide);
            }
            OneDnn.reorder(back, plain, own.memory());
            return own.memory();
        }

        /** Where the primitive writes an output that {@link #to} then copies into the plain memory. */
        dnnl_memory target(dnnl_memory plain) {
            return reorder == null ? plain : own.memory();
        }

        void to(dnnl_memory plain) {
            if (reorder != null) {
                OneDnn.reorder(reorder, own.memory(), plain);
            }
        }
    }
}
