import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * {@link Kernels.Api} on oneDNN 2.x (JavaCPP presets up to 1.5.8), the version our training path calls: an
 * operation descriptor, then its primitive descriptor. Dnnl3 is the same code on 3.x; the two cannot share
 * a helper, because even the memory descriptor is another type in each version's presets.
 */
public final class Dnnl2 implements Kernels.Api {
    private static final long[] ONE = {1, 1};
    private final dnnl_engine engine = new dnnl_engine();
    private final dnnl_stream stream = new dnnl_stream();
    private final List<Object> keep = new ArrayList<>();

    public static void main(String[] args) {
        Loader.load(org.bytedeco.dnnl.global.dnnl.class);
        Kernels.run(new Dnnl2(), args);
    }

    private Dnnl2() {
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine_create");
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream_create");
    }

    @Override
    public String version() {
        return "2.5.2";
    }

    @Override
    public Kernels.Pass convolution(String pass, long[] src, long[] weights, long[] dst, String layout) {
        int tag = switch (layout) {
            case "any" -> dnnl_format_tag_any;
            case "nhwc" -> dnnl_nhwc;
            case "blocked" -> blockedTag(src, weights, dst);
            default -> throw new IllegalArgumentException(layout);
        };
        dnnl_memory_desc_t s = desc(src, tag);
        dnnl_memory_desc_t w = desc(weights, dnnl_format_tag_any);
        dnnl_memory_desc_t d = desc(dst, tag);
        dnnl_primitive_desc fwd = forward(s, w, d);
        dnnl_primitive_desc pd;
        int[] args;
        int[] queries;
        switch (pass) {
            case "forward" -> {
                pd = fwd;
                args = new int[]{DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST};
                queries = new int[]{dnnl_query_src_md, dnnl_query_weights_md, dnnl_query_dst_md};
            }
            case "backward-data" -> {
                dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
                check(dnnl_convolution_backward_data_desc_init(cd, dnnl_convolution_direct, s, w, d, ONE, ONE, ONE),
                        "convolution_backward_data_desc_init");
                pd = primitiveDesc(cd, fwd);
                args = new int[]{DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC};
                queries = new int[]{dnnl_query_diff_dst_md, dnnl_query_weights_md, dnnl_query_diff_src_md};
            }
            case "backward-weights" -> {
                dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
                check(dnnl_convolution_backward_weights_desc_init(cd, dnnl_convolution_direct, s, w, null, d, ONE, ONE, ONE),
                        "convolution_backward_weights_desc_init");
                pd = primitiveDesc(cd, fwd);
                args = new int[]{DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS};
                queries = new int[]{dnnl_query_src_md, dnnl_query_diff_dst_md, dnnl_query_diff_weights_md};
            }
            default -> throw new IllegalArgumentException(pass);
        }
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "primitive_create");
        dnnl_exec_arg_t exec = new dnnl_exec_arg_t(args.length);
        for (int i = 0; i < args.length; i++) {
            exec.position(i).arg(args[i]).memory(memory(dnnl_primitive_desc_query_md(pd, queries[i], 0)));
        }
        exec.position(0);
        String impl = impl(pd);
        keep.add(pd);
        keep.add(p);
        keep.add(exec);
        return new Kernels.Pass() {
            @Override
            public void run() {
                check(dnnl_primitive_execute(p, stream, args.length, exec), "primitive_execute");
                check(dnnl_stream_wait(stream), "stream_wait");
            }

            @Override
            public String impl() {
                return impl;
            }
        };
    }

    private dnnl_primitive_desc forward(dnnl_memory_desc_t s, dnnl_memory_desc_t w, dnnl_memory_desc_t d) {
        dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
        check(dnnl_convolution_forward_desc_init(cd, dnnl_forward_training, dnnl_convolution_direct, s, w, null, d, ONE,
                ONE, ONE), "convolution_forward_desc_init");
        return primitiveDesc(cd, null);
    }

    private dnnl_primitive_desc primitiveDesc(dnnl_convolution_desc_t cd, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(cd), null, engine, hint), "primitive_desc_create");
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
        check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dnnl_f32, tag), "memory_desc_init_by_tag");
        keep.add(md);
        return md;
    }

    private dnnl_memory memory(dnnl_memory_desc_t md) {
        long floats = Math.max(1, dnnl_memory_desc_get_size(md) / 4);
        FloatPointer buffer = new FloatPointer(floats);
        SplittableRandom random = new SplittableRandom(floats);
        for (long i = 0; i < floats; i++) {
            buffer.put(i, (float) (random.nextDouble() - 0.5));
        }
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, md, engine, buffer), "memory_create");
        keep.add(buffer);
        keep.add(m);
        return m;
    }

    private static String impl(dnnl_primitive_desc pd) {
        PointerPointer<BytePointer> out = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, out), "primitive_desc_query");
        return out.getString(0);
    }

    private static void check(int status, String call) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + call + " failed with status " + status);
        }
    }
}
