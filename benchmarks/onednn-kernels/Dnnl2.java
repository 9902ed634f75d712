import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.Loader;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * {@link Kernels.Api} on oneDNN 2.x (JavaCPP presets up to 1.5.8), the version our training path calls: an
 * operation descriptor, then its primitive descriptor. Dnnl3 is the same on 3.x; what the versions share is
 * in {@link Calls}, and what is left here differs, down to the memory descriptor's type.
 */
public final class Dnnl2 implements Kernels.Api {
    private static final long[] ONE = {1, 1};
    private final dnnl_engine engine = Calls.engine();
    private final dnnl_stream stream = Calls.stream(engine);
    private final List<Object> keep = new ArrayList<>();

    public static void main(String[] args) {
        Loader.load(org.bytedeco.dnnl.global.dnnl.class);
        Kernels.run(new Dnnl2(), args);
    }

    @Override
    public String version() {
        return "2.5.2";
    }

    @Override
    public Kernels.Pass convolution(String pass, long[] src, long[] weights, long[] dst, String layout) {
        int tag = Calls.tag(layout, () -> blockedTag(src, weights, dst));
        dnnl_memory_desc_t s = desc(src, tag);
        dnnl_memory_desc_t w = desc(weights, dnnl_format_tag_any);
        dnnl_memory_desc_t d = desc(dst, tag);
        dnnl_primitive_desc fwd = forward(s, w, d);
        dnnl_primitive_desc pd = switch (pass) {
            case "forward" -> fwd;
            case "backward-data" -> {
                dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
                Calls.check(dnnl_convolution_backward_data_desc_init(cd, dnnl_convolution_direct, s, w, d, ONE, ONE, ONE),
                        "convolution_backward_data_desc_init");
                yield primitiveDesc(cd, fwd);
            }
            case "backward-weights" -> {
                dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
                Calls.check(dnnl_convolution_backward_weights_desc_init(cd, dnnl_convolution_direct, s, w, null, d, ONE, ONE, ONE),
                        "convolution_backward_weights_desc_init");
                yield primitiveDesc(cd, fwd);
            }
            default -> throw new IllegalArgumentException(pass);
        };
        return Calls.pass(pd, pass, query -> memory(dnnl_primitive_desc_query_md(pd, query, 0)), stream, keep);
    }

    private dnnl_primitive_desc forward(dnnl_memory_desc_t s, dnnl_memory_desc_t w, dnnl_memory_desc_t d) {
        dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
        Calls.check(dnnl_convolution_forward_desc_init(cd, dnnl_forward_training, dnnl_convolution_direct, s, w, null, d, ONE,
                ONE, ONE), "convolution_forward_desc_init");
        return primitiveDesc(cd, null);
    }

    private dnnl_primitive_desc primitiveDesc(dnnl_convolution_desc_t cd, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        Calls.check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(cd), null, engine, hint), "primitive_desc_create");
        keep.add(cd);
        return pd;
    }

    /** The channel-blocked tag oneDNN picks for this convolution's activations when free to choose. */
    private int blockedTag(long[] src, long[] weights, long[] dst) {
        dnnl_memory_desc_t picked = dnnl_primitive_desc_query_md(
                forward(desc(src, dnnl_format_tag_any), desc(weights, dnnl_format_tag_any), desc(dst, dnnl_format_tag_any)),
                dnnl_query_src_md, 0);
        for (int tag : new int[]{dnnl_aBcd16b, dnnl_aBcd8b}) {
            if (dnnl_memory_desc_equal(picked, desc(src, tag)) != 0) {
                return tag;
            }
        }
        return dnnl_aBcd8b;
    }

    private dnnl_memory_desc_t desc(long[] dims, int tag) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        Calls.check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dnnl_f32, tag), "memory_desc_init_by_tag");
        keep.add(md);
        return md;
    }

    private dnnl_memory memory(dnnl_memory_desc_t md) {
        dnnl_memory m = new dnnl_memory();
        Calls.check(dnnl_memory_create(m, md, engine, Calls.randomBuffer(dnnl_memory_desc_get_size(md), keep)), "memory_create");
        keep.add(m);
        return m;
    }
}
