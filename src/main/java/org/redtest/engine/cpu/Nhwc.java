package org.redtest.engine.cpu;

import org.redtest.engine.plan.SampleShape;

/** Rewrites n samples between the NCHW order of DL4J's arrays and the {@code nhwc} order of our CPU kernels. */
final class Nhwc {
    private Nhwc() {
    }

    static float[] fromNchw(float[] nchw, SampleShape s, int n) {
        int c = s.channels();
        int plane = s.plane();
        float[] out = new float[nchw.length];
        for (int i = 0; i < n; i++) {
            int base = i * c * plane;
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < plane; p++) {
                    out[base + p * c + ch] = nchw[base + ch * plane + p];
                }
            }
        }
        return out;
    }

    static float[] toNchw(float[] nhwc, SampleShape s, int n) {
        int c = s.channels();
        int plane = s.plane();
        float[] out = new float[nhwc.length];
        for (int i = 0; i < n; i++) {
            int base = i * c * plane;
            for (int p = 0; p < plane; p++) {
                for (int ch = 0; ch < c; ch++) {
                    out[base + ch * plane + p] = nhwc[base + p * c + ch];
                }
            }
        }
        return out;
    }
}
