package org.redtest.engine.cpu;

import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.redtest.engine.plan.SampleShape;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Batch norm of one shape at one batch size as oneDNN primitives on activations in their
 * {@link ActivationLayout}: the training
 * pass (batch statistics), the inference pass (given statistics) and the backward pass, each built on first
 * use. oneDNN works with the batch variance; {@link OneDnnKernels} converts it to and from the inverse
 * deviation the plan keeps.
 */
final class BatchNormPrimitives {
    private final dnnl_memory_desc_t data;
    private final dnnl_memory_desc_t channels;
    private final float eps;
    /** The training pass applies max(., 0) as it writes, and its backward pass masks the gradient (a workspace). */
    private final boolean relu;
    private final dnnl_memory workspace;
    private final dnnl_memory src;
    private final dnnl_memory dst;
    private final dnnl_memory scale;
    private final dnnl_memory shift;
    private final dnnl_memory mean;
    private final dnnl_memory variance;
    private dnnl_primitive_desc trainingDesc;
    private dnnl_primitive training;
    private dnnl_primitive inference;
    private Backward backward;

    /** {@code relu}: a training pass fused with the ReLU that follows (see {@link #relu}). */
    BatchNormPrimitives(SampleShape s, int n, double eps, boolean relu) {
        this.eps = (float) eps;
        this.relu = relu;
        data = OneDnn.desc(new long[]{n, s.channels(), s.height(), s.width()}, ActivationLayout.tag(s.channels()));
        channels = OneDnn.desc(new long[]{s.channels()}, dnnl_x);
        src = OneDnn.memory(data, null);
        dst = OneDnn.memory(data, null);
        scale = OneDnn.memory(channels, null);
        shift = OneDnn.memory(channels, null);
        mean = OneDnn.memory(channels, null);
        variance = OneDnn.memory(channels, null);
        workspace = relu ? OneDnn.memory(OneDnn.query(trainingDesc(), dnnl_query_workspace_md), null) : null;
    }

    private int trainingFlags() {
        return dnnl_use_scale | dnnl_use_shift | (relu ? dnnl_fuse_norm_relu : 0);
    }

    private dnnl_primitive_desc trainingDesc() {
        if (trainingDesc == null) {
            trainingDesc = forwardDesc(dnnl_forward_training, trainingFlags());
        }
        return trainingDesc;
    }

    /** Bytes of the workspace a fused training pass writes for its backward pass (0 without the ReLU). */
    long workspaceBytes() {
        return relu ? dnnl_memory_desc_get_size(OneDnn.query(trainingDesc(), dnnl_query_workspace_md)) : 0;
    }

    private dnnl_primitive_desc forwardDesc(int kind, int flags) {
        dnnl_batch_normalization_desc_t fd = new dnnl_batch_normalization_desc_t();
        OneDnn.check(dnnl_batch_normalization_forward_desc_init(fd, kind, data, eps, flags),
                "batch_normalization_forward_desc_init");
        return OneDnn.primitiveDesc(fd, null);
    }

    /**
     * y from the batch's statistics, which are written into {@code batchMean} and {@code batchVariance};
     * {@code ws}: where a fused pass writes its workspace (null without the ReLU).
     */
    void training(NativeBuffer x, NativeBuffer gamma, NativeBuffer beta, NativeBuffer y, NativeBuffer batchMean,
                  NativeBuffer batchVariance, NativeBuffer ws) {
        if (training == null) {
            training = OneDnn.primitive(trainingDesc());
        }
        if (relu) {
            OneDnn.bind(workspace, ws.address());
        }
        run(training, x, gamma, beta, y, batchMean, batchVariance);
    }

    void inference(NativeBuffer x, NativeBuffer gamma, NativeBuffer beta, NativeBuffer runningMean,
                   NativeBuffer runningVariance, NativeBuffer y) {
        if (inference == null) {
            inference = OneDnn.primitive(forwardDesc(dnnl_forward_inference,
                    dnnl_use_scale | dnnl_use_shift | dnnl_use_global_stats));
        }
        run(inference, x, gamma, beta, y, runningMean, runningVariance);
    }

    private void run(dnnl_primitive p, NativeBuffer x, NativeBuffer gamma, NativeBuffer beta, NativeBuffer y,
                     NativeBuffer m, NativeBuffer v) {
        OneDnn.bind(src, x.address());
        OneDnn.bind(dst, y.address());
        OneDnn.bind(scale, gamma.address());
        OneDnn.bind(shift, beta.address());
        OneDnn.bind(mean, m.address());
        OneDnn.bind(variance, v.address());
        if (relu && p == training) {
            OneDnn.execute(p, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift,
                    DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance, DNNL_ARG_WORKSPACE, workspace);
        } else {
            OneDnn.execute(p, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift,
                    DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance);
        }
    }

    /**
     * dx, dGamma and dBeta overwritten, from the batch statistics of the training pass; with the ReLU, {@code dy}
     * is the gradient of the ReLU's output, masked by the workspace {@code ws} the training pass wrote.
     */
    void backward(NativeBuffer x, NativeBuffer dy, NativeBuffer gamma, NativeBuffer batchMean,
                  NativeBuffer batchVariance, NativeBuffer ws, NativeBuffer dx, NativeBuffer dGamma, NativeBuffer dBeta) {
        if (backward == null) {
            backward = new Backward();
        }
        if (relu) {
            OneDnn.bind(workspace, ws.address());
        }
        backward.run(x, dy, gamma, batchMean, batchVariance, dx, dGamma, dBeta);
    }

    private final class Backward {
        private final dnnl_primitive primitive;
        private final dnnl_memory diffDst = OneDnn.memory(data, null);
        private final dnnl_memory diffSrc = OneDnn.memory(data, null);
        private final dnnl_memory diffScale;
        private final dnnl_memory diffShift;

        Backward() {
            dnnl_batch_normalization_desc_t bd = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_backward_desc_init(bd, dnnl_backward, data, data, eps,
                    trainingFlags()), "batch_normalization_backward_desc_init");
            primitive = OneDnn.primitive(OneDnn.primitiveDesc(bd, trainingDesc()));
            diffScale = OneDnn.memory(channels, null);
            diffShift = OneDnn.memory(channels, null);
        }

        void run(NativeBuffer x, NativeBuffer dy, NativeBuffer gamma, NativeBuffer m, NativeBuffer v, NativeBuffer dx,
                 NativeBuffer dGamma, NativeBuffer dBeta) {
            OneDnn.bind(src, x.address());
            OneDnn.bind(diffDst, dy.address());
            OneDnn.bind(diffSrc, dx.address());
            OneDnn.bind(scale, gamma.address());
            // oneDNN wants the shift as an argument of the backward pass, though no gradient depends on it
            OneDnn.bind(shift, gamma.address());
            OneDnn.bind(mean, m.address());
            OneDnn.bind(variance, v.address());
            OneDnn.bind(diffScale, dGamma.address());
            OneDnn.bind(diffShift, dBeta.address());
            Object[] args = {DNNL_ARG_SRC, src, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance,
                    DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift, DNNL_ARG_DIFF_SRC, diffSrc,
                    DNNL_ARG_DIFF_SCALE, diffScale, DNNL_ARG_DIFF_SHIFT, diffShift, DNNL_ARG_WORKSPACE, workspace};
            OneDnn.execute(primitive, relu ? args : java.util.Arrays.copyOf(args, args.length - 2));
        }
    }
}
