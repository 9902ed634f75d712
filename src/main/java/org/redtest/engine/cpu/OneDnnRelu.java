package org.redtest.engine.cpu;

import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * ReLU forward and backward as oneDNN eltwise primitives on dense float arrays, built once per shape.
 * libnd4j's {@code relu_bp}, which the ND4J derivative op runs, took about 9% of a ResNet training
 * step on its own (six times the forward pass); oneDNN's vectorised backward costs about as much as
 * its forward. One instance per layer: primitives are stateless, but the memory objects' data
 * handles are rebound on every call.
 */
final class OneDnnRelu {
    private final Map<String, Plan> plans = new HashMap<>();

    /** out = max(x, 0). */
    void forward(INDArray x, INDArray out) {
        plan(x.shape()).forward(x, out);
    }

    /** dx = dy where x > 0, else 0. */
    void backward(INDArray x, INDArray dy, INDArray dx) {
        plan(x.shape()).backward(x, dy, dx);
    }

    private Plan plan(long[] shape) {
        return plans.computeIfAbsent(Arrays.toString(shape), k -> new Plan(shape));
    }

    private static final class Plan {
        private final dnnl_primitive forward;
        private final dnnl_primitive_desc forwardDesc;
        private final dnnl_memory_desc_t data;
        private final dnnl_memory src;
        private final dnnl_memory dst;
        private final dnnl_memory diffDst;
        private final dnnl_memory diffSrc;
        private dnnl_primitive backward;

        Plan(long[] shape) {
            // plain row-major layout of any rank: the tensor seen as one long vector
            data = OneDnn.desc(new long[]{Arrays.stream(shape).reduce(1, Math::multiplyExact)}, dnnl_x);
            dnnl_eltwise_desc_t fd = new dnnl_eltwise_desc_t();
            OneDnn.check(dnnl_eltwise_forward_desc_init(fd, dnnl_forward_training, dnnl_eltwise_relu, data, 0f, 0f),
                    "eltwise_forward_desc_init");
            forwardDesc = OneDnn.primitiveDesc(fd, null);
            forward = OneDnn.primitive(forwardDesc);
            src = OneDnn.memory(data, null);
            dst = OneDnn.memory(data, null);
            diffDst = OneDnn.memory(data, null);
            diffSrc = OneDnn.memory(data, null);
        }

        void forward(INDArray x, INDArray out) {
            OneDnn.bind(src, x);
            OneDnn.bind(dst, out);
            OneDnn.execute(forward, DNNL_ARG_SRC, src, DNNL_ARG_DST, dst);
        }

        void backward(INDArray x, INDArray dy, INDArray dx) {
            if (backward == null) {
                dnnl_eltwise_desc_t bd = new dnnl_eltwise_desc_t();
                OneDnn.check(dnnl_eltwise_backward_desc_init(bd, dnnl_eltwise_relu, data, data, 0f, 0f),
                        "eltwise_backward_desc_init");
                backward = OneDnn.primitive(OneDnn.primitiveDesc(bd, forwardDesc));
            }
            OneDnn.bind(src, x);
            OneDnn.bind(diffDst, dy);
            OneDnn.bind(diffSrc, dx);
            OneDnn.execute(backward, DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, diffDst, DNNL_ARG_DIFF_SRC, diffSrc);
        }
    }
}
