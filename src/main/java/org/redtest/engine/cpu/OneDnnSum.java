package org.redtest.engine.cpu;

import org.bytedeco.dnnl.dnnl_binary_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * out = a + b in one pass, optionally followed by max(., 0) as it is written, as a oneDNN binary primitive
 * built once per length. The arrays are seen as long vectors, so any layout works as long as the operands
 * share it (a sum's inputs always do, blocked or plain). One instance per vertex: the memory objects' data
 * handles are rebound on every call.
 */
final class OneDnnSum {
    private final Map<Long, Plan> plans = new HashMap<>();

    /** out = a + b, or max(a + b, 0) with {@code relu}; {@code out} may be {@code a}. */
    void add(INDArray a, INDArray b, INDArray out, boolean relu) {
        plans.computeIfAbsent(relu ? -a.length() : a.length(), k -> new Plan(a.length(), relu)).run(a, b, out);
    }

    private static final class Plan {
        private final dnnl_primitive primitive;
        private final dnnl_memory a;
        private final dnnl_memory b;
        private final dnnl_memory out;

        Plan(long length, boolean relu) {
            dnnl_memory_desc_t data = OneDnn.desc(new long[]{length}, dnnl_x);
            dnnl_binary_desc_t desc = new dnnl_binary_desc_t();
            OneDnn.check(dnnl_binary_desc_init(desc, dnnl_binary_add, data, data, data), "binary_desc_init");
            primitive = OneDnn.primitive(OneDnn.primitiveDesc(desc, null, relu ? OneDnn.reluPostOp() : null));
            a = OneDnn.memory(data, null);
            b = OneDnn.memory(data, null);
            out = OneDnn.memory(data, null);
        }

        void run(INDArray x, INDArray y, INDArray z) {
            OneDnn.bind(a, x);
            OneDnn.bind(b, y);
            OneDnn.bind(out, z);
            OneDnn.execute(primitive, DNNL_ARG_SRC_0, a, DNNL_ARG_SRC_1, b, DNNL_ARG_DST, out);
        }
    }
}
