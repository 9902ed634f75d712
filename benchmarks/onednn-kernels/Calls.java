import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * The oneDNN calls whose signatures are the same in 2.x and 3.x. Compiled with Dnnl2 against the 2.x presets
 * and with Dnnl3 against the 3.x presets; what differs between the versions (descriptors) stays in those two.
 */
final class Calls {
    private Calls() {
    }

    static dnnl_engine engine() {
        dnnl_engine engine = new dnnl_engine();
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine_create");
        return engine;
    }

    static dnnl_stream stream(dnnl_engine engine) {
        dnnl_stream stream = new dnnl_stream();
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream_create");
        return stream;
    }

    /** A buffer of {@code bytes} filled with values in [-0.5, 0.5), kept alive through {@code keep}. */
    static FloatPointer randomBuffer(long bytes, List<Object> keep) {
        long floats = Math.max(1, bytes / 4);
        FloatPointer buffer = new FloatPointer(floats);
        SplittableRandom random = new SplittableRandom(floats);
        for (long i = 0; i < floats; i++) {
            buffer.put(i, (float) (random.nextDouble() - 0.5));
        }
        keep.add(buffer);
        return buffer;
    }

    /** The activations' format tag for a layout of {@link Kernels}; {@code blocked} gives this CPU's channel-blocked one. */
    static int tag(String layout, IntSupplier blocked) {
        return switch (layout) {
            case "any" -> dnnl_format_tag_any;
            case "nhwc" -> dnnl_nhwc;
            case "blocked" -> blocked.getAsInt();
            default -> throw new IllegalArgumentException(layout);
        };
    }

    /**
     * The primitive of {@code pd}, one pass of a convolution, ready to run on {@code stream}: each of its three
     * arguments gets a memory from {@code memoryOf}, given the query for that argument's descriptor.
     */
    static Kernels.Pass pass(dnnl_primitive_desc pd, String pass, IntFunction<dnnl_memory> memoryOf, dnnl_stream stream,
                             List<Object> keep) {
        int[][] argsAndQueries = switch (pass) {
            case "forward" -> new int[][]{{DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST},
                    {dnnl_query_src_md, dnnl_query_weights_md, dnnl_query_dst_md}};
            case "backward-data" -> new int[][]{{DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC},
                    {dnnl_query_diff_dst_md, dnnl_query_weights_md, dnnl_query_diff_src_md}};
            case "backward-weights" -> new int[][]{{DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS},
                    {dnnl_query_src_md, dnnl_query_diff_dst_md, dnnl_query_diff_weights_md}};
            default -> throw new IllegalArgumentException(pass);
        };
        int[] args = argsAndQueries[0];
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "primitive_create");
        dnnl_exec_arg_t exec = new dnnl_exec_arg_t(args.length);
        for (int i = 0; i < args.length; i++) {
            exec.position(i).arg(args[i]).memory(memoryOf.apply(argsAndQueries[1][i]));
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

    /** oneDNN's name for the kernel it picked. */
    private static String impl(dnnl_primitive_desc pd) {
        PointerPointer<BytePointer> out = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, out), "primitive_desc_query");
        return out.getString(0);
    }

    static void check(int status, String call) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + call + " failed with status " + status);
        }
    }
}
