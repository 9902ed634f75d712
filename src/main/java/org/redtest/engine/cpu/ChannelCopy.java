package org.redtest.engine.cpu;

import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * A run of channels copied (or added) from one activation into another, as one oneDNN reorder between two
 * channel windows ("sub-memories") of the tensors in their {@link ActivationLayout}s: one multithreaded pass
 * whatever the layouts. oneDNN refuses a window that splits a channel block; {@link #of} then returns null
 * and the caller copies in Java.
 */
final class ChannelCopy {
    private final dnnl_primitive reorder;
    private final dnnl_memory from;
    private final dnnl_memory to;

    private ChannelCopy(dnnl_primitive reorder, dnnl_memory from, dnnl_memory to) {
        this.reorder = reorder;
        this.from = from;
        this.to = to;
    }

    /** The copy, or null where oneDNN cannot describe a window (a block split) or has no reorder for it. */
    static ChannelCopy of(int n, int plane, int srcChannels, int srcFrom, int dstChannels, int dstFrom, int channels,
                          boolean accumulate) {
        dnnl_memory_desc_t source = window(n, plane, srcChannels, srcFrom, channels);
        dnnl_memory_desc_t target = window(n, plane, dstChannels, dstFrom, channels);
        if (source == null || target == null) {
            return null;
        }
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        if (dnnl_reorder_primitive_desc_create(pd, source, OneDnn.engine(), target, OneDnn.engine(),
                accumulate ? OneDnn.postOps(true, false) : null) != dnnl_success) {
            return null;
        }
        return new ChannelCopy(OneDnn.primitive(pd), OneDnn.memory(source, null), OneDnn.memory(target, null));
    }

    /** Channels {@code from..from+count} of an n x channels x plane x 1 tensor in its layout, or null. */
    private static dnnl_memory_desc_t window(int n, int plane, int channels, int from, int count) {
        dnnl_memory_desc_t whole = OneDnn.desc(new long[]{n, channels, plane, 1}, ActivationLayout.tag(channels));
        dnnl_memory_desc_t part = new dnnl_memory_desc_t();
        int status = dnnl_memory_desc_init_submemory(part, whole, new long[]{n, count, plane, 1},
                new long[]{0, from, 0, 0});
        return status == dnnl_success ? part : null;
    }

    void run(NativeBuffer source, NativeBuffer target) {
        OneDnn.bind(from, source.address());
        OneDnn.bind(to, target.address());
        OneDnn.reorder(reorder, from, to);
    }
}
