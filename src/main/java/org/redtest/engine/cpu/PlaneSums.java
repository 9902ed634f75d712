package org.redtest.engine.cpu;

import java.nio.FloatBuffer;

/**
 * The inner loops of {@link FastBatchNormHelper} over one contiguous H*W plane. Sums keep four
 * independent float accumulators: a single one makes every add wait for the previous one (the loop
 * then runs at the adder's latency, not its throughput), and Java may not reorder float additions
 * by itself. Planes are at most a few thousand values, so float partial sums lose nothing that
 * matters before they are added up in double by the caller.
 */
final class PlaneSums {
    private PlaneSums() {
    }

    static float sum(FloatBuffer a, int from, int length) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < length; j += 4) {
            s0 += a.get(from + j);
            s1 += a.get(from + j + 1);
            s2 += a.get(from + j + 2);
            s3 += a.get(from + j + 3);
        }
        for (; j < length; j++) {
            s0 += a.get(from + j);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Sum of (a - centre)^2. */
    static float squaredDeviations(FloatBuffer a, int from, int length, float centre) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < length; j += 4) {
            float d0 = a.get(from + j) - centre;
            float d1 = a.get(from + j + 1) - centre;
            float d2 = a.get(from + j + 2) - centre;
            float d3 = a.get(from + j + 3) - centre;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; j < length; j++) {
            float d = a.get(from + j) - centre;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Sum of a * (b - centre). */
    static float dot(FloatBuffer a, int aFrom, FloatBuffer b, int bFrom, int length, float centre) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < length; j += 4) {
            s0 += a.get(aFrom + j) * (b.get(bFrom + j) - centre);
            s1 += a.get(aFrom + j + 1) * (b.get(bFrom + j + 1) - centre);
            s2 += a.get(aFrom + j + 2) * (b.get(bFrom + j + 2) - centre);
            s3 += a.get(aFrom + j + 3) * (b.get(bFrom + j + 3) - centre);
        }
        for (; j < length; j++) {
            s0 += a.get(aFrom + j) * (b.get(bFrom + j) - centre);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** out = alpha * a + beta * b + shift, element by element. */
    static void affine(FloatBuffer a, int aFrom, FloatBuffer b, int bFrom, FloatBuffer out, int outFrom, int length,
                       float alpha, float beta, float shift) {
        for (int j = 0; j < length; j++) {
            out.put(outFrom + j, alpha * a.get(aFrom + j) + beta * b.get(bFrom + j) + shift);
        }
    }
}
