package org.redtest.engine.cpu;

import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.redtest.engine.plan.PoolShape;

import java.util.HashMap;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Max or average pooling of one shape at one batch size as oneDNN primitives on activations in their
 * {@link ActivationLayout}.
 * oneDNN's max-pooling backward pass reads the positions of the maxima from a workspace its forward pass
 * wrote; one is kept per output buffer, so that two pooling steps of the same shape do not share one.
 */
final class PoolingPrimitives {
    private final dnnl_memory_desc_t srcMd;
    private final dnnl_memory_desc_t dstMd;
    private final boolean max;
    private final dnnl_primitive_desc forwardDesc;
    private final dnnl_primitive forward;
    private final dnnl_memory src;
    private final dnnl_memory dst;
    private final Map<Long, OneDnn.Owned> workspaces = new HashMap<>();
    private final int algorithm;
    private final long[] strides;
    private final long[] kernel;
    private final long[] padLeft;
    private final long[] padRight;
    private dnnl_primitive backward;
    private dnnl_memory diffDst;
    private dnnl_memory diffSrc;

    PoolingPrimitives(PoolShape p, int n) {
        max = p.max();
        srcMd = OneDnn.desc(new long[]{n, p.in().channels(), p.in().height(), p.in().width()},
                ActivationLayout.tag(p.in().channels()));
        dstMd = OneDnn.desc(new long[]{n, p.out().channels(), p.out().height(), p.out().width()},
                ActivationLayout.tag(p.out().channels()));
        algorithm = p.max() ? dnnl_pooling_max
                : p.countPadding() ? dnnl_pooling_avg_include_padding : dnnl_pooling_avg_exclude_padding;
        strides = new long[]{p.stride(), p.stride()};
        kernel = new long[]{p.kernelH(), p.kernelW()};
        padLeft = new long[]{p.padding(), p.padding()};
        padRight = new long[]{
                (long) (p.out().height() - 1) * p.stride() + p.kernelH() - p.in().height() - p.padding(),
                (long) (p.out().width() - 1) * p.stride() + p.kernelW() - p.in().width() - p.padding()};
        dnnl_pooling_desc_t fd = new dnnl_pooling_desc_t();
        OneDnn.check(dnnl_pooling_forward_desc_init(fd, dnnl_forward_training, algorithm, srcMd, dstMd, strides, kernel,
                padLeft, padRight), "pooling_forward_desc_init");
        forwardDesc = OneDnn.primitiveDesc(fd, null);
        forward = OneDnn.primitive(forwardDesc);
        src = OneDnn.memory(srcMd, null);
        dst = OneDnn.memory(dstMd, null);
    }

    void forward(NativeBuffer x, NativeBuffer y) {
        OneDnn.bind(src, x.address());
        OneDnn.bind(dst, y.address());
        if (max) {
            OneDnn.Owned ws = workspaces.computeIfAbsent(y.address(),
                    a -> OneDnn.allocate(OneDnn.query(forwardDesc, dnnl_query_workspace_md)));
            OneDnn.execute(forward, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst, DNNL_ARG_WORKSPACE, ws.memory());
        } else {
            OneDnn.execute(forward, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst);
        }
    }

    /** dx overwritten. {@code y}: the output of the forward pass over {@code x}. */
    void backward(NativeBuffer x, NativeBuffer y, NativeBuffer dy, NativeBuffer dx) {
        if (backward == null) {
            dnnl_pooling_desc_t bd = new dnnl_pooling_desc_t();
            OneDnn.check(dnnl_pooling_backward_desc_init(bd, algorithm, srcMd, dstMd, strides, kernel, padLeft, padRight),
                    "pooling_backward_desc_init");
            backward = OneDnn.primitive(OneDnn.primitiveDesc(bd, forwardDesc));
            diffDst = OneDnn.memory(dstMd, null);
            diffSrc = OneDnn.memory(srcMd, null);
        }
        OneDnn.bind(diffDst, dy.address());
        OneDnn.bind(diffSrc, dx.address());
        if (max) {
            if (!workspaces.containsKey(y.address())) {
                forward(x, y); // the same output again, and the workspace that goes with it
            }
            OneDnn.execute(backward, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_SRC, diffSrc, DNNL_ARG_WORKSPACE,
                    workspaces.get(y.address()).memory());
        } else {
            OneDnn.execute(backward, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_SRC, diffSrc);
        }
    }
}
