package org.redtest.engine.cpu;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * The few oneDNN C calls the fast CPU path needs, through JavaCPP's presets of oneDNN (its own
 * copy of the library, beside the one inside libnd4j). One CPU engine for the process and one
 * stream per thread; every call's status is checked and a failure names the call.
 */
final class OneDnn {
    /** The plain NCHW layout tag. */
    static final int PLAIN = dnnl_nchw;
    private static final dnnl_engine ENGINE;
    /** oneDNN streams are not meant to be shared between threads that execute at the same time. */
    private static final ThreadLocal<dnnl_stream> STREAM = ThreadLocal.withInitial(() -> {
        dnnl_stream stream = new dnnl_stream();
        check(dnnl_stream_create(stream, OneDnn.ENGINE, dnnl_stream_default_flags), "stream_create");
        return stream;
    });

    static {
        Loader.load(org.bytedeco.dnnl.global.dnnl.class);
        ENGINE = new dnnl_engine();
        check(dnnl_engine_create(ENGINE, dnnl_cpu, 0), "engine_create");
        // this copy of oneDNN does not read DNNL_VERBOSE; profiling our primitives needs its own switch
        String verbose = System.getenv("REDTEST_DNNL_VERBOSE");
        if (verbose != null && verbose.matches("[0-9]")) {
            dnnl_set_verbose(Integer.parseInt(verbose));
        }
    }

    private OneDnn() {
    }

    /** The process's CPU engine. */
    static dnnl_engine engine() {
        return ENGINE;
    }

    /** Throws when oneDNN cannot be loaded here; the caller then keeps DL4J's helper. */
    static void ensureLoaded() {
        // the static initialiser did the work
    }

    static void check(int status, String call) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + call + " failed with status " + status);
        }
    }

    /** A float memory descriptor; {@code tag} is a dnnl format tag or {@code dnnl_format_tag_any}. */
    static dnnl_memory_desc_t desc(long[] dims, int tag) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dnnl_f32, tag), "memory_desc_init_by_tag");
        return md;
    }

    static dnnl_primitive_desc primitiveDesc(Pointer opDesc, dnnl_primitive_desc hint) {
        return primitiveDesc(opDesc, hint, null);
    }

    /** {@code attr}: post-ops and the like, or null for none. */
    static dnnl_primitive_desc primitiveDesc(Pointer opDesc, dnnl_primitive_desc hint, dnnl_primitive_attr attr) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(opDesc), attr, ENGINE, hint), "primitive_desc_create");
        return pd;
    }

    /** Attributes that apply max(x, 0) to a primitive's output as it is written (shared, never changed). */
    static dnnl_primitive_attr reluPostOp() {
        return ReluPostOp.ATTR;
    }

    private static final class ReluPostOp {
        static final dnnl_primitive_attr ATTR = create();

        private static dnnl_primitive_attr create() {
            dnnl_post_ops ops = new dnnl_post_ops();
            check(dnnl_post_ops_create(ops), "post_ops_create");
            check(dnnl_post_ops_append_eltwise(ops, 1f, dnnl_eltwise_relu, 0f, 0f), "post_ops_append_eltwise");
            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            check(dnnl_primitive_attr_create(attr), "primitive_attr_create");
            check(dnnl_primitive_attr_set_post_ops(attr, ops), "primitive_attr_set_post_ops");
            dnnl_post_ops_destroy(ops); // the attributes keep their own copy
            return attr;
        }
    }

    /**
     * Attributes with post-ops: adding what the output buffer held before ({@code sum}), then max(x, 0) when
     * {@code relu}.
     */
    static dnnl_primitive_attr postOps(boolean sum, boolean relu) {
        dnnl_post_ops ops = new dnnl_post_ops();
        check(dnnl_post_ops_create(ops), "post_ops_create");
        if (sum) {
            check(dnnl_post_ops_append_sum(ops, 1f), "post_ops_append_sum");
        }
        if (relu) {
            check(dnnl_post_ops_append_eltwise(ops, 1f, dnnl_eltwise_relu, 0f, 0f), "post_ops_append_eltwise");
        }
        dnnl_primitive_attr attr = new dnnl_primitive_attr();
        check(dnnl_primitive_attr_create(attr), "primitive_attr_create");
        check(dnnl_primitive_attr_set_post_ops(attr, ops), "primitive_attr_set_post_ops");
        dnnl_post_ops_destroy(ops);
        return attr;
    }

    static dnnl_primitive primitive(dnnl_primitive_desc pd) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "primitive_create");
        return p;
    }

    static dnnl_memory_desc_t query(dnnl_primitive_desc pd, int what) {
        return dnnl_primitive_desc_query_md(pd, what, 0);
    }

    static boolean same(dnnl_memory_desc_t a, dnnl_memory_desc_t b) {
        return dnnl_memory_desc_equal(a, b) != 0;
    }

    /** A memory object over {@code handle} (user memory whose handle is set before each use when null). */
    static dnnl_memory memory(dnnl_memory_desc_t md, Pointer handle) {
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, md, ENGINE, handle), "memory_create");
        return m;
    }

    /** A memory object with its own buffer, kept alive by the returned holder. */
    static Owned allocate(dnnl_memory_desc_t md) {
        long bytes = dnnl_memory_desc_get_size(md);
        FloatPointer buffer = new FloatPointer(Math.max(1, (bytes + 3) / 4));
        return new Owned(memory(md, buffer), buffer);
    }

    record Owned(dnnl_memory memory, FloatPointer buffer) {
    }

    /** Points {@code memory} at an ND4J array's first element (a view's buffer pointer already includes its offset). */
    static void bind(dnnl_memory memory, INDArray array) {
        long address = array.data().addressPointer().address();
        check(dnnl_memory_set_data_handle(memory, new Address(address)), "memory_set_data_handle");
    }

    /** Points {@code memory} at a raw address (a {@link NativeBuffer}'s first value). */
    static void bind(dnnl_memory memory, long address) {
        check(dnnl_memory_set_data_handle(memory, new Address(address)), "memory_set_data_handle");
    }

    /** Runs a primitive with (argument id, memory) pairs and waits for it. */
    static void execute(dnnl_primitive primitive, Object... idAndMemory) {
        int n = idAndMemory.length / 2;
        dnnl_exec_arg_t args = new dnnl_exec_arg_t(n);
        for (int i = 0; i < n; i++) {
            args.position(i).arg((Integer) idAndMemory[2 * i]).memory((dnnl_memory) idAndMemory[2 * i + 1]);
        }
        args.position(0);
        dnnl_stream stream = STREAM.get();
        check(dnnl_primitive_execute(primitive, stream, n, args), "primitive_execute");
        check(dnnl_stream_wait(stream), "stream_wait");
        args.close();
    }

    /** A reorder between two layouts of the same tensor, or null when they are the same layout. */
    static dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
        if (same(from, to)) {
            return null;
        }
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from, ENGINE, to, ENGINE, null), "reorder_primitive_desc_create");
        return primitive(pd);
    }

    static void reorder(dnnl_primitive reorder, dnnl_memory from, dnnl_memory to) {
        execute(reorder, DNNL_ARG_FROM, from, DNNL_ARG_TO, to);
    }

    /**
     * The channel block (16 or 8) of the layout oneDNN's convolutions prefer on this CPU, or 0 when
     * they prefer another layout. Found by asking for a small convolution with free layouts.
     */
    static int preferredChannelBlock() {
        return PreferredBlock.BLOCK;
    }

    /** Probed on first use (lazy holder): only graphs on the fast path pay for it. */
    private static final class PreferredBlock {
        static final int BLOCK = probe();

        private static int probe() {
            long[] shape = {1, 16, 8, 8};
            dnnl_memory_desc_t any = desc(shape, dnnl_format_tag_any);
            dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
            check(dnnl_convolution_forward_desc_init(cd, dnnl_forward_training, dnnl_convolution_direct, any,
                    desc(new long[]{16, 16, 3, 3}, dnnl_format_tag_any), null, any, new long[]{1, 1},
                    new long[]{1, 1}, new long[]{1, 1}), "convolution_forward_desc_init");
            dnnl_memory_desc_t dst = query(primitiveDesc(cd, null), dnnl_query_dst_md);
            return same(dst, desc(shape, dnnl_aBcd16b)) ? 16 : same(dst, desc(shape, dnnl_aBcd8b)) ? 8 : 0;
        }
    }

    /** Channels per block of a layout tag from {@link #blockedTag} (1 for plain NCHW). */
    static int channelBlock(int tag) {
        return tag == dnnl_aBcd16b ? 16 : tag == dnnl_aBcd8b ? 8 : 1;
    }

    /** The blocked layout tag for {@code block} channels per block (0: plain NCHW). */
    static int blockedTag(int block) {
        return block == 16 ? dnnl_aBcd16b : block == 8 ? dnnl_aBcd8b : dnnl_nchw;
    }

    /**
     * {@code array}, which holds a 4-d tensor in layout {@code fromTag}, rewritten in layout
     * {@code toTag} into {@code target} (same shape), for layers that read plain NCHW only: the
     * pooling adapters on every pass, the helpers' fallbacks. The reorder is built once per shape
     * and pair of layouts (oneDNN primitives may run on several threads at once); the two memory
     * objects that point it at the arrays are made per call.
     */
    static INDArray relayout(INDArray array, int fromTag, int toTag, INDArray target) {
        INDArray source = OneDnnConvHelper.isDense(array) ? array : array.dup('c');
        if (fromTag == toTag) {
            target.assign(source);
            return target;
        }
        Relayout r = RELAYOUTS.computeIfAbsent(Arrays.toString(source.shape()) + fromTag + "->" + toTag,
                k -> new Relayout(desc(source.shape(), fromTag), desc(source.shape(), toTag)));
        if (r.reorder() == null) { // the two tags describe the same order for this shape
            target.assign(source);
            return target;
        }
        dnnl_memory in = memory(r.from(), null);
        dnnl_memory out = memory(r.to(), null);
        try {
            bind(in, source);
            bind(out, target);
            reorder(r.reorder(), in, out);
        } finally {
            dnnl_memory_destroy(in);
            dnnl_memory_destroy(out);
        }
        return target;
    }

    private static final Map<String, Relayout> RELAYOUTS = new ConcurrentHashMap<>();

    /** A reorder between two layouts of one shape, with the descriptors it was built from (kept alive with it). */
    private record Relayout(dnnl_memory_desc_t from, dnnl_memory_desc_t to, dnnl_primitive reorder) {
        Relayout(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
            this(from, to, OneDnn.reorder(from, to));
        }
    }

    /** {@code count} floats at a raw address, as the pointer the library calls take (no deallocator). */
    static FloatPointer floatsAt(long address, long count) {
        return new FloatsAt(address, count);
    }

    /** A raw address as a JavaCPP pointer (ND4J views start inside their buffer). */
    private static final class Address extends Pointer {
        Address(long address) {
            this.address = address;
        }
    }

    private static final class FloatsAt extends FloatPointer {
        FloatsAt(long address, long count) {
            this.address = address;
            this.limit = count;
            this.capacity = count;
        }
    }
}
