package org.redtest.engine.cpu;

import org.bytedeco.dnnl.dnnl_binary_desc_t;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;

import java.util.HashMap;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Element-wise passes over long float vectors as oneDNN primitives (they run on oneDNN's threads, where a
 * Java loop would run on one): ReLU and its backward pass, a + b, and a * x. Built once per length (and
 * factor); any layout works, as the operands of an element-wise pass share theirs.
 */
final class VectorPrimitives {
    private final Map<Long, Vector> byLength = new HashMap<>();

    private Vector of(long length) {
        return byLength.computeIfAbsent(length, Vector::new);
    }

    /** y = max(x, 0); y may be x. */
    void relu(NativeBuffer x, NativeBuffer y) {
        Vector v = of(x.count());
        v.run(v.relu(), DNNL_ARG_SRC, x, DNNL_ARG_DST, y);
    }

    /** dx = dy where y > 0, else 0; dx may be dy. */
    void reluBackward(NativeBuffer y, NativeBuffer dy, NativeBuffer dx) {
        Vector v = of(y.count());
        v.run(v.reluBackward(), DNNL_ARG_DST, y, DNNL_ARG_DIFF_DST, dy, DNNL_ARG_DIFF_SRC, dx);
    }

    /** out = a + b; out may be a or b. */
    void add(NativeBuffer a, NativeBuffer b, NativeBuffer out) {
        add(a, b, out, false);
    }

    /** out = a + b, or max(a + b, 0) with {@code relu}; out may be a or b. */
    void add(NativeBuffer a, NativeBuffer b, NativeBuffer out, boolean relu) {
        Vector v = of(a.count());
        v.run(relu ? v.addRelu() : v.add(), DNNL_ARG_SRC_0, a, DNNL_ARG_SRC_1, b, DNNL_ARG_DST, out);
    }

    /** y = factor * x; y may be x. */
    void scale(float factor, NativeBuffer x, NativeBuffer y) {
        Vector v = of(x.count());
        v.run(v.linear(factor), DNNL_ARG_SRC, x, DNNL_ARG_DST, y);
    }

    private static final class Vector {
        private final dnnl_memory_desc_t md;
        private final dnnl_memory[] memories;
        private dnnl_primitive relu;
        private dnnl_primitive reluBackward;
        private dnnl_primitive add;
        private dnnl_primitive addRelu;
        /**
         * a * x per factor, the most recently used few: the optimiser's factors follow the learning-rate
         * schedule, which may change them every step.
         */
        private final Map<Float, dnnl_primitive> linear = new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Float, dnnl_primitive> eldest) {
                if (size() <= 8) {
                    return false;
                }
                dnnl_primitive_destroy(eldest.getValue());
                return true;
            }
        };

        Vector(long length) {
            md = OneDnn.desc(new long[]{length}, dnnl_x);
            memories = new dnnl_memory[]{OneDnn.memory(md, null), OneDnn.memory(md, null), OneDnn.memory(md, null)};
        }

        private dnnl_primitive_desc eltwise(int kind, int algorithm, float alpha) {
            dnnl_eltwise_desc_t d = new dnnl_eltwise_desc_t();
            OneDnn.check(dnnl_eltwise_forward_desc_init(d, kind, algorithm, md, alpha, 0f), "eltwise_forward_desc_init");
            return OneDnn.primitiveDesc(d, null);
        }

        dnnl_primitive relu() {
            if (relu == null) {
                relu = OneDnn.primitive(eltwise(dnnl_forward_inference, dnnl_eltwise_relu, 0f));
            }
            return relu;
        }

        dnnl_primitive reluBackward() {
            if (reluBackward == null) {
                dnnl_primitive_desc hint = eltwise(dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd, 0f);
                dnnl_eltwise_desc_t d = new dnnl_eltwise_desc_t();
                OneDnn.check(dnnl_eltwise_backward_desc_init(d, dnnl_eltwise_relu_use_dst_for_bwd, md, md, 0f, 0f),
                        "eltwise_backward_desc_init");
                reluBackward = OneDnn.primitive(OneDnn.primitiveDesc(d, hint));
            }
            return reluBackward;
        }

        dnnl_primitive add() {
            if (add == null) {
                add = binaryAdd(false);
            }
            return add;
        }

        dnnl_primitive addRelu() {
            if (addRelu == null) {
                addRelu = binaryAdd(true);
            }
            return addRelu;
        }

        private dnnl_primitive binaryAdd(boolean relu) {
            dnnl_binary_desc_t d = new dnnl_binary_desc_t();
            OneDnn.check(dnnl_binary_desc_init(d, dnnl_binary_add, md, md, md), "binary_desc_init");
            return OneDnn.primitive(OneDnn.primitiveDesc(d, null, relu ? OneDnn.reluPostOp() : null));
        }

        dnnl_primitive linear(float factor) {
            return linear.computeIfAbsent(factor,
                    f -> OneDnn.primitive(eltwise(dnnl_forward_inference, dnnl_eltwise_linear, f)));
        }

        /** Runs {@code p} with (argument id, buffer) pairs. */
        void run(dnnl_primitive p, Object... idAndBuffer) {
            Object[] args = new Object[idAndBuffer.length];
            for (int i = 0; i < idAndBuffer.length / 2; i++) {
                OneDnn.bind(memories[i], ((NativeBuffer) idAndBuffer[2 * i + 1]).address());
                args[2 * i] = idAndBuffer[2 * i];
                args[2 * i + 1] = memories[i];
            }
            OneDnn.execute(p, args);
        }
    }
}
