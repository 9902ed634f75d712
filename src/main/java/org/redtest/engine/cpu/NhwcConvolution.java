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
 * One convolution shape at one batch size as oneDNN primitives on {@code nhwc} activations: the layout is
 * fixed, so oneDNN picks kernels that read and write it directly (no activation reorder, ever); only the
 * small weight tensors are reordered between our plain {@code oihw} and the kernels' blocked layout.
 * The backward primitives are built on the first backward call.
 */
final class NhwcConvolution {
    private final ConvShape shape;
    private final dnnl_memory_desc_t srcMd;
    private final dnnl_memory_desc_t dstMd;
    private final dnnl_memory_desc_t anyWeights;
    private final dnnl_memory_desc_t plainWeights;
    private final dnnl_memory_desc_t biasMd;
    private final long[] strides;
    private final long[] padLeft;
    private final long[] padRight;
    private final dnnl_primitive_desc forwardDesc;
    private final dnnl_primitive forward;
    private final dnnl_memory src;
    private final dnnl_memory dst;
    private final dnnl_memory weights;
    private final dnnl_memory bias;
    private final Staged forwardWeights;
    /** Inference only: the weights never change, so each weight buffer is reordered once (by its address). */
    private final Map<Long, dnnl_memory> frozenWeights;
    private Backward backward;

    /** A training convolution: every pass reorders the weights, which change between steps. */
    NhwcConvolution(ConvShape s, int n) {
        this(s, n, false, false, false);
    }

    /**
     * An inference convolution: its weights never change, and with {@code add} and {@code relu} it writes
     * max(conv(x) + y, 0), adding what the output buffer held and applying the ReLU as oneDNN post-ops.
     * (A binary post-op that reads the addend from a buffer of its own would spare the copy into y, but it
     * takes oneDNN 2.5 off its fastest nhwc kernels: 3.7 against 2.8 ms per call at 16 channels here.)
     */
    static NhwcConvolution inference(ConvShape s, int n, boolean add, boolean relu) {
        return new NhwcConvolution(s, n, true, add, relu);
    }

    private NhwcConvolution(ConvShape s, int n, boolean inference, boolean add, boolean relu) {
        shape = s;
        long[] in = {n, s.in().channels(), s.in().height(), s.in().width()};
        long[] out = {n, s.out().channels(), s.out().height(), s.out().width()};
        long[] w = {s.out().channels(), s.in().channels(), s.kernel(), s.kernel()};
        srcMd = OneDnn.desc(in, dnnl_nhwc);
        dstMd = OneDnn.desc(out, dnnl_nhwc);
        anyWeights = OneDnn.desc(w, dnnl_format_tag_any);
        plainWeights = OneDnn.desc(w, dnnl_oihw);
        biasMd = s.bias() ? OneDnn.desc(new long[]{s.out().channels()}, dnnl_x) : null;
        strides = new long[]{s.stride(), s.stride()};
        padLeft = new long[]{s.padding(), s.padding()};
        padRight = new long[]{
                (long) (s.out().height() - 1) * s.stride() + s.kernel() - s.in().height() - s.padding(),
                (long) (s.out().width() - 1) * s.stride() + s.kernel() - s.in().width() - s.padding()};
        dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
        OneDnn.check(dnnl_convolution_forward_desc_init(fd, inference ? dnnl_forward_inference : dnnl_forward_training,
                dnnl_convolution_direct, srcMd, anyWeights, biasMd, dstMd, strides, padLeft, padRight),
                "convolution_forward_desc_init");
        forwardDesc = OneDnn.primitiveDesc(fd, null, add || relu ? OneDnn.postOps(add, relu) : null);
        frozenWeights = inference ? new HashMap<>() : null;
        forward = OneDnn.primitive(forwardDesc);
        src = OneDnn.memory(srcMd, null);
        dst = OneDnn.memory(dstMd, null);
        weights = OneDnn.memory(plainWeights, null);
        bias = s.bias() ? OneDnn.memory(biasMd, null) : null;
        forwardWeights = Staged.input(plainWeights, OneDnn.query(forwardDesc, dnnl_query_weights_md));
    }

    /** y = conv(x), or for an inference convolution with post-ops their result (y holding the addend before). */
    void forward(NativeBuffer x, NativeBuffer w, NativeBuffer b, NativeBuffer y) {
        OneDnn.bind(src, x.address());
        OneDnn.bind(dst, y.address());
        OneDnn.bind(weights, w.address());
        dnnl_memory wM = frozenWeights == null ? forwardWeights.from(weights)
                : frozenWeights.computeIfAbsent(w.address(), a -> forwardWeights.copy(weights));
        List<Object> args = new ArrayList<>(List.of(DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wM, DNNL_ARG_DST, dst));
        if (bias != null) {
            OneDnn.bind(bias, b.address());
            args.addAll(List.of(DNNL_ARG_BIAS, bias));
        }
        OneDnn.execute(forward, args.toArray());
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
        private final dnnl_memory diffDst = OneDnn.memory(dstMd, null);
        private final dnnl_memory diffSrc = OneDnn.memory(srcMd, null);
        private final dnnl_memory diffWeights = OneDnn.memory(plainWeights, null);
        private final dnnl_memory diffBias = biasMd == null ? null : OneDnn.memory(biasMd, null);
        private final Staged dataWeights;
        private final Staged paramsDiffWeights;

        Backward() {
            dnnl_convolution_desc_t bd = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_backward_data_desc_init(bd, dnnl_convolution_direct, srcMd, anyWeights,
                    dstMd, strides, padLeft, padRight), "convolution_backward_data_desc_init");
            dnnl_primitive_desc dataPd = OneDnn.primitiveDesc(bd, forwardDesc);
            dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, srcMd, anyWeights,
                    biasMd, dstMd, strides, padLeft, padRight), "convolution_backward_weights_desc_init");
            dnnl_primitive_desc paramsPd = OneDnn.primitiveDesc(wd, forwardDesc);
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
            OneDnn.execute(data, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_WEIGHTS, wM, DNNL_ARG_DIFF_SRC, diffSrc);
        }

        void params(NativeBuffer x, NativeBuffer dy, NativeBuffer dw, NativeBuffer db) {
            OneDnn.bind(src, x.address());
            OneDnn.bind(diffDst, dy.address());
            OneDnn.bind(diffWeights, dw.address());
            dnnl_memory dwM = paramsDiffWeights.target(diffWeights);
            if (diffBias != null && db != null) {
                OneDnn.bind(diffBias, db.address());
                OneDnn.execute(params, DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_WEIGHTS, dwM,
                        DNNL_ARG_DIFF_BIAS, diffBias);
            } else {
                OneDnn.execute(params, DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_WEIGHTS, dwM);
            }
            paramsDiffWeights.to(diffWeights);
        }
    }

    /**
     * A weight tensor's way between the plain layout and a primitive's: a reorder into (or out of) a buffer of
     * its own when the two differ, nothing otherwise.
     */
    private static final class Staged {
        private final dnnl_primitive reorder;
        private final OneDnn.Owned own;
        private final dnnl_memory_desc_t primitiveSide;
        private final List<OneDnn.Owned> owned = new ArrayList<>();

        /** {@code primitiveSide}: the layout of the buffer this stage owns (the primitive's). */
        private Staged(dnnl_memory_desc_t from, dnnl_memory_desc_t to, dnnl_memory_desc_t primitiveSide) {
            reorder = OneDnn.reorder(from, to);
            own = reorder == null ? null : OneDnn.allocate(primitiveSide);
            this.primitiveSide = primitiveSide;
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
