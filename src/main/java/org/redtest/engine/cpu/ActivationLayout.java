package org.redtest.engine.cpu;

import org.redtest.engine.plan.SampleShape;

import static org.bytedeco.dnnl.global.dnnl.dnnl_aBcd16b;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;

/**
 * The memory order {@link OneDnnKernels} keeps an activation in, a function of its channel count alone (so the
 * operands of an element-wise pass always share it): oneDNN's 16-channel-blocked {@code nChw16c} where
 * oneDNN's Winograd convolutions can run on it (32 channels or more, a multiple of 16, on a CPU whose
 * kernels use 16-channel blocks), {@code nhwc} otherwise. At batch 128 on this project's AVX-512 machine,
 * Winograd runs a 3x3 convolution's passes in 55-75% of the direct kernels' time at 32 and 64 channels,
 * and is slower at 16, where the direct {@code nhwc} kernels are the fastest of all
 * ({@code benchmarks/onednn-kernels.sh}).
 */
final class ActivationLayout {
    private static final int BLOCK = 16;

    private ActivationLayout() {
    }

    static boolean blocked(int channels) {
        return channels >= 2 * BLOCK && channels % BLOCK == 0 && OneDnn.preferredChannelBlock() == BLOCK;
    }

    /** The oneDNN format tag of an activation with {@code channels} channels. */
    static int tag(int channels) {
        return blocked(channels) ? dnnl_aBcd16b : dnnl_nhwc;
    }

    /** Where value (sample i, channel c, pixel p) of a batch of {@code s} lies in its buffer. */
    static long offset(SampleShape s, int i, int c, int p) {
        int channels = s.channels();
        int plane = s.plane();
        if (blocked(channels)) {
            return (((long) i * (channels / BLOCK) + c / BLOCK) * plane + p) * BLOCK + c % BLOCK;
        }
        return ((long) i * plane + p) * channels + c;
    }

    static float[] fromNchw(float[] nchw, SampleShape s, int n) {
        float[] out = new float[nchw.length];
        int c = s.channels();
        int plane = s.plane();
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < plane; p++) {
                    out[(int) offset(s, i, ch, p)] = nchw[(i * c + ch) * plane + p];
                }
            }
        }
        return out;
    }

    static float[] toNchw(float[] values, SampleShape s, int n) {
        float[] out = new float[values.length];
        int c = s.channels();
        int plane = s.plane();
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < plane; p++) {
                    out[(i * c + ch) * plane + p] = values[(int) offset(s, i, ch, p)];
                }
            }
        }
        return out;
    }
}
