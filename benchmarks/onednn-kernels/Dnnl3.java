import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.Loader;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.*;

/** {@link Kernels.Api} on oneDNN 3.x (JavaCPP presets 1.5.9 and later): one call creates a primitive descriptor. */
public final class Dnnl3 implements Kernels.Api {
    private static final long[] ONE = {1, 1};
    private static final long[] NO_DILATION = {0, 0};
    private final dnnl_engine engine = Calls.engine();
    private final dnnl_stream stream = Calls.stream(engine);
    private final List<Object> keep = new ArrayList<>();

    public static void main(String[] args) {
        Loader.load(org.bytedeco.dnnl.global.dnnl.class);
        Kernels.run(new Dnnl3(), args);
    }

    @Override
    public String version() {
        return "3.11";
    }

    @Override
    public Kernels.Pass convolution(String pass, long[] src, long[] weights, long[] dst, String layout) {
        int tag = Calls.tag(layout, () -> blockedTag(src, weights, dst));
        dnnl_memory_desc s = desc(src, tag);
        dnnl_memory_desc w = desc(weights, dnnl_format_tag_any);
        dnnl_memory_desc d = desc(dst, tag);
        dnnl_primitive_desc fwd = forward(s, w, d);
        dnnl_primitive_desc pd = switch (pass) {
            case "forward" -> fwd;
            case "backward-data" -> {
                dnnl_primitive_desc b = new dnnl_primitive_desc();
                Calls.check(dnnl_convolution_backward_data_primitive_desc_create(b, engine, dnnl_convolution_direct, s, w, d,
                        ONE, NO_DILATION, ONE, ONE, fwd, null), "convolution_backward_data_primitive_desc_create");
                yield b;
            }
            case "backward-weights" -> {
                dnnl_primitive_desc b = new dnnl_primitive_desc();
                Calls.check(dnnl_convolution_backward_weights_primitive_desc_create(b, engine, dnnl_convolution_direct, s, w,
                        null, d, ONE, NO_DILATION, ONE, ONE, fwd, null), "convolution_backward_weights_primitive_desc_create");
                yield b;
            }
            default -> throw new IllegalArgumentException(pass);
        };
        return Calls.pass(pd, pass, query -> memory(dnnl_primitive_desc_query_md(pd, query, 0)), stream, keep);
    }

    private dnnl_primitive_desc forward(dnnl_memory_desc s, dnnl_memory_desc w, dnnl_memory_desc d) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        Calls.check(dnnl_convolution_forward_primitive_desc_create(pd, engine, dnnl_forward_training, dnnl_convolution_direct,
                s, w, null, d, ONE, NO_DILATION, ONE, ONE, null), "convolution_forward_primitive_desc_create");
        return pd;
    }

    /** The channel-blocked tag oneDNN picks for this convolution's activations when free to choose. */
    private int blockedTag(long[] src, long[] weights, long[] dst) {
        dnnl_memory_desc picked = dnnl_primitive_desc_query_md(
                forward(desc(src, dnnl_format_tag_any), desc(weights, dnnl_format_tag_any), desc(dst, dnnl_format_tag_any)),
                dnnl_query_src_md, 0);
        for (int tag : new int[]{dnnl_aBcd16b, dnnl_aBcd8b}) {
            if (dnnl_memory_desc_equal(picked, desc(src, tag)) != 0) {
                return tag;
            }
        }
        return dnnl_aBcd8b;
    }

    private dnnl_memory_desc desc(long[] dims, int tag) {
        dnnl_memory_desc md = new dnnl_memory_desc();
        Calls.check(dnnl_memory_desc_create_with_tag(md, dims.length, dims, dnnl_f32, tag), "memory_desc_create_with_tag");
        keep.add(md);
        return md;
    }

    private dnnl_memory memory(dnnl_memory_desc md) {
        dnnl_memory m = new dnnl_memory();
        Calls.check(dnnl_memory_create(m, md, engine, Calls.randomBuffer(dnnl_memory_desc_get_size(md), keep)), "memory_create");
        keep.add(m);
        return m;
    }
}
