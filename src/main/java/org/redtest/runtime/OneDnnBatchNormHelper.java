package org.redtest.runtime;

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
import java.util.HashMap;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Batch norm's training pass (batch statistics, normalisation, backward) as oneDNN primitives called
 * directly on the plain NCHW arrays, built once per shape. oneDNN's vectorised kernels do in two
 * passes what {@link FastBatchNormHelper}'s Java loops do in four, and what DL4J's helper does through
 * strided ND4J reductions and libnd4j's {@code batchnorm_bp}. Inference keeps DL4J's helper (oneDNN
 * with the running statistics); anything this class cannot handle goes to the Java loops.
 */
final class OneDnnBatchNormHelper extends FastBatchNormHelper {
    private static final Logger LOG = LoggerFactory.getLogger(OneDnnBatchNormHelper.class);

    private final String layerName;
    private final Map<String, Plan> plans = new HashMap<>();
    /** The plan of the last training forward pass, whose statistics the backward pass reads. */
    private Plan lastForward;

    OneDnnBatchNormHelper(DataType dataType, String layerName) {
        super(dataType);
        this.layerName = layerName;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        lastForward = null;
        Plan plan = training && gamma != null && beta != null && isDenseFloatNchw(x, format)
                && isContiguousVector(gamma) && isContiguousVector(beta) ? plan(x, eps) : null;
        if (plan == null) {
            return super.preOutput(x, training, shape, gamma, beta, mean, var, decay, eps, format, workspaceMgr);
        }
        int channels = (int) x.size(1);
        INDArray batchMean = cache(MEAN_CACHE, channels);
        INDArray batchVar = cache(VAR_CACHE, channels);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape());
        plan.forward(x, gamma, beta, batchMean, batchVar, out);
        lastForward = plan;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        Plan plan = lastForward;
        if (plan == null || gamma == null || beta == null || dGammaView == null || !isDenseFloatNchw(input, format)
                || !Arrays.equals(plan.shape, input.shape()) || !isContiguousVector(gamma)
                || !isContiguousVector(dGammaView) || !isContiguousVector(dBetaView)) {
            return super.backpropGradient(input, epsilon, shape, gamma, beta, dGammaView, dBetaView, eps, format,
                    workspaceMgr);
        }
        INDArray dy = isDenseFloatNchw(epsilon, format) ? epsilon : epsilon.dup('c');
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape());
        plan.backward(input, dy, gamma, beta, (INDArray) MEAN_CACHE.get(this), (INDArray) VAR_CACHE.get(this), dx,
                dGammaView, dBetaView);
        return result(dGammaView, dBetaView, dx);
    }

    private Plan plan(INDArray x, double eps) {
        String key = Arrays.toString(x.shape()) + eps;
        if (plans.containsKey(key)) {
            return plans.get(key);
        }
        Plan plan = null;
        try {
            plan = new Plan(x.shape(), (float) eps);
        } catch (RuntimeException | LinkageError e) {
            LOG.info("layer {}: oneDNN batch norm not available for input {} ({}); using the Java loops",
                    layerName, Arrays.toString(x.shape()), e.getMessage());
        }
        plans.put(key, plan);
        return plan;
    }

    /** Forward-training and backward primitives for one input shape; all memories are the user's. */
    static final class Plan {
        private final long[] shape;
        private final dnnl_primitive forward;
        private final dnnl_primitive backward;
        private final dnnl_memory src;
        private final dnnl_memory dst;
        private final dnnl_memory scale;
        private final dnnl_memory shift;
        private final dnnl_memory mean;
        private final dnnl_memory variance;
        private final dnnl_memory diffDst;
        private final dnnl_memory diffSrc;
        private final dnnl_memory diffScale;
        private final dnnl_memory diffShift;

        Plan(long[] shape, float eps) {
            this.shape = shape.clone();
            dnnl_memory_desc_t data = OneDnn.desc(shape, dnnl_nchw);
            dnnl_memory_desc_t channels = OneDnn.desc(new long[]{shape[1]}, dnnl_x);
            int flags = dnnl_use_scale | dnnl_use_shift;
            dnnl_batch_normalization_desc_t fd = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_forward_desc_init(fd, dnnl_forward_training, data, eps, flags),
                    "batch_normalization_forward_desc_init");
            dnnl_primitive_desc forwardDesc = OneDnn.primitiveDesc(fd, null);
            dnnl_batch_normalization_desc_t bd = new dnnl_batch_normalization_desc_t();
            OneDnn.check(dnnl_batch_normalization_backward_desc_init(bd, dnnl_backward, data, data, eps, flags),
                    "batch_normalization_backward_desc_init");
            dnnl_primitive_desc backwardDesc = OneDnn.primitiveDesc(bd, forwardDesc);
            forward = OneDnn.primitive(forwardDesc);
            backward = OneDnn.primitive(backwardDesc);
            src = OneDnn.memory(data, null);
            dst = OneDnn.memory(data, null);
            diffDst = OneDnn.memory(data, null);
            diffSrc = OneDnn.memory(data, null);
            scale = OneDnn.memory(channels, null);
            shift = OneDnn.memory(channels, null);
            mean = OneDnn.memory(channels, null);
            variance = OneDnn.memory(channels, null);
            diffScale = OneDnn.memory(channels, null);
            diffShift = OneDnn.memory(channels, null);
        }

        void forward(INDArray x, INDArray gamma, INDArray beta, INDArray batchMean, INDArray batchVar, INDArray out) {
            OneDnn.bind(src, x);
            OneDnn.bind(dst, out);
            OneDnn.bind(scale, gamma);
            OneDnn.bind(shift, beta);
            OneDnn.bind(mean, batchMean);
            OneDnn.bind(variance, batchVar);
            OneDnn.execute(forward, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst, DNNL_ARG_SCALE, scale,
                    DNNL_ARG_SHIFT, shift, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance);
        }

        void backward(INDArray x, INDArray dy, INDArray gamma, INDArray beta, INDArray batchMean, INDArray batchVar,
                      INDArray dx, INDArray dGamma, INDArray dBeta) {
            OneDnn.bind(src, x);
            OneDnn.bind(diffDst, dy);
            OneDnn.bind(diffSrc, dx);
            OneDnn.bind(scale, gamma);
            OneDnn.bind(shift, beta);
            OneDnn.bind(mean, batchMean);
            OneDnn.bind(variance, batchVar);
            OneDnn.bind(diffScale, dGamma);
            OneDnn.bind(diffShift, dBeta);
            OneDnn.execute(backward, DNNL_ARG_SRC, src, DNNL_ARG_MEAN, mean, DNNL_ARG_VARIANCE, variance,
                    DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_SCALE, scale, DNNL_ARG_SHIFT, shift, DNNL_ARG_DIFF_SRC, diffSrc,
                    DNNL_ARG_DIFF_SCALE, diffScale, DNNL_ARG_DIFF_SHIFT, diffShift);
        }
    }
}
