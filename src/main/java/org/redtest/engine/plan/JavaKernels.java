package org.redtest.engine.plan;

import java.util.SplittableRandom;

/**
 * Every {@link Kernels} operation as plain Java loops over float arrays, sums in double: the reference the
 * plan is checked against DL4J with (in the tests, no GPU needed) and the GPU kernels are checked against
 * ({@code bench gpu-ops}). Written for clarity, not speed.
 */
public final class JavaKernels implements Kernels {
    private SplittableRandom dropoutRandom;

    public JavaKernels() {
        this(1);
    }

    /** {@code seed}: of the dropout masks. */
    public JavaKernels(long seed) {
        this.dropoutRandom = new SplittableRandom(seed);
    }

    /** A range of a float array. */
    public record JavaBuffer(float[] data, int offset, int count) implements Buffer {
        @Override
        public long length() {
            return count;
        }

        @Override
        public Buffer slice(long from, long length) {
            if (from < 0 || length < 0 || from + length > count) {
                throw new IndexOutOfBoundsException("slice " + from + "+" + length + " of " + count);
            }
            return new JavaBuffer(data, offset + (int) from, (int) length);
        }

        float get(long i) {
            return data[offset + (int) i];
        }

        void set(long i, double v) {
            data[offset + (int) i] = (float) v;
        }

        /** Writes or adds {@code v} at {@code i}. */
        void put(long i, double v, boolean accumulate) {
            data[offset + (int) i] = accumulate ? (float) (data[offset + (int) i] + v) : (float) v;
        }
    }

    private static JavaBuffer b(Buffer buffer) {
        return (JavaBuffer) buffer;
    }

    @Override
    public Buffer allocate(long length) {
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("buffer of " + length + " values is too large for the Java kernels");
        }
        return new JavaBuffer(new float[(int) length], 0, (int) length);
    }

    @Override
    public void free(Buffer buffer) {
    }

    @Override
    public void upload(float[] values, Buffer target) {
        JavaBuffer t = b(target);
        if (values.length > t.length()) {
            throw new IllegalArgumentException(values.length + " values into a buffer of " + t.length());
        }
        System.arraycopy(values, 0, t.data(), t.offset(), values.length);
    }

    @Override
    public float[] download(Buffer source) {
        JavaBuffer s = b(source);
        float[] out = new float[s.count()];
        System.arraycopy(s.data(), s.offset(), out, 0, out.length);
        return out;
    }

    @Override
    public void fill(Buffer target, float value) {
        JavaBuffer t = b(target);
        java.util.Arrays.fill(t.data(), t.offset(), t.offset() + t.count(), value);
    }

    @Override
    public void scale(double factor, Buffer x, Buffer y, boolean accumulate) {
        JavaBuffer in = b(x);
        JavaBuffer out = b(y);
        for (int i = 0; i < in.length(); i++) {
            out.put(i, factor * in.get(i), accumulate);
        }
    }

    @Override
    public void convForward(ConvShape s, int n, Buffer x, Buffer weights, Buffer bias, Buffer y) {
        JavaBuffer in = b(x);
        JavaBuffer w = b(weights);
        JavaBuffer out = b(y);
        SampleShape is = s.in();
        SampleShape os = s.out();
        int k = s.kernel();
        double[] plane = new double[os.plane()];
        for (int i = 0; i < n; i++) {
            for (int oc = 0; oc < os.channels(); oc++) {
                java.util.Arrays.fill(plane, bias == null ? 0 : b(bias).get(oc));
                for (int ic = 0; ic < is.channels(); ic++) {
                    long xBase = ((long) i * is.channels() + ic) * is.plane();
                    for (int kh = 0; kh < k; kh++) {
                        for (int kw = 0; kw < k; kw++) {
                            double wv = w.get(((long) (oc * is.channels() + ic) * k + kh) * k + kw);
                            for (int oh = 0; oh < os.height(); oh++) {
                                int ih = oh * s.stride() - s.padding() + kh;
                                if (ih < 0 || ih >= is.height()) {
                                    continue;
                                }
                                for (int ow = 0; ow < os.width(); ow++) {
                                    int iw = ow * s.stride() - s.padding() + kw;
                                    if (iw >= 0 && iw < is.width()) {
                                        plane[oh * os.width() + ow] += wv * in.get(xBase + (long) ih * is.width() + iw);
                                    }
                                }
                            }
                        }
                    }
                }
                long yBase = ((long) i * os.channels() + oc) * os.plane();
                for (int p = 0; p < plane.length; p++) {
                    out.set(yBase + p, plane[p]);
                }
            }
        }
    }

    @Override
    public void convBackwardData(ConvShape s, int n, Buffer dy, Buffer weights, Buffer dx, boolean accumulate) {
        JavaBuffer g = b(dy);
        JavaBuffer w = b(weights);
        JavaBuffer out = b(dx);
        SampleShape is = s.in();
        SampleShape os = s.out();
        int k = s.kernel();
        double[] plane = new double[is.plane()];
        for (int i = 0; i < n; i++) {
            for (int ic = 0; ic < is.channels(); ic++) {
                java.util.Arrays.fill(plane, 0);
                for (int oc = 0; oc < os.channels(); oc++) {
                    long gBase = ((long) i * os.channels() + oc) * os.plane();
                    for (int kh = 0; kh < k; kh++) {
                        for (int kw = 0; kw < k; kw++) {
                            double wv = w.get(((long) (oc * is.channels() + ic) * k + kh) * k + kw);
                            for (int oh = 0; oh < os.height(); oh++) {
                                int ih = oh * s.stride() - s.padding() + kh;
                                if (ih < 0 || ih >= is.height()) {
                                    continue;
                                }
                                for (int ow = 0; ow < os.width(); ow++) {
                                    int iw = ow * s.stride() - s.padding() + kw;
                                    if (iw >= 0 && iw < is.width()) {
                                        plane[ih * is.width() + iw] += wv * g.get(gBase + (long) oh * os.width() + ow);
                                    }
                                }
                            }
                        }
                    }
                }
                long xBase = ((long) i * is.channels() + ic) * is.plane();
                for (int p = 0; p < plane.length; p++) {
                    out.put(xBase + p, plane[p], accumulate);
                }
            }
        }
    }

    @Override
    public void convBackwardParams(ConvShape s, int n, Buffer x, Buffer dy, Buffer dWeights, Buffer dBias) {
        JavaBuffer in = b(x);
        JavaBuffer g = b(dy);
        JavaBuffer dw = b(dWeights);
        SampleShape is = s.in();
        SampleShape os = s.out();
        int k = s.kernel();
        for (int oc = 0; oc < os.channels(); oc++) {
            for (int ic = 0; ic < is.channels(); ic++) {
                for (int kh = 0; kh < k; kh++) {
                    for (int kw = 0; kw < k; kw++) {
                        double sum = 0;
                        for (int i = 0; i < n; i++) {
                            long gBase = ((long) i * os.channels() + oc) * os.plane();
                            long xBase = ((long) i * is.channels() + ic) * is.plane();
                            for (int oh = 0; oh < os.height(); oh++) {
                                int ih = oh * s.stride() - s.padding() + kh;
                                if (ih < 0 || ih >= is.height()) {
                                    continue;
                                }
                                for (int ow = 0; ow < os.width(); ow++) {
                                    int iw = ow * s.stride() - s.padding() + kw;
                                    if (iw >= 0 && iw < is.width()) {
                                        sum += g.get(gBase + (long) oh * os.width() + ow)
                                                * in.get(xBase + (long) ih * is.width() + iw);
                                    }
                                }
                            }
                        }
                        dw.set(((long) (oc * is.channels() + ic) * k + kh) * k + kw, sum);
                    }
                }
            }
            if (dBias != null) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    long gBase = ((long) i * os.channels() + oc) * os.plane();
                    for (int p = 0; p < os.plane(); p++) {
                        sum += g.get(gBase + p);
                    }
                }
                b(dBias).set(oc, sum);
            }
        }
    }

    @Override
    public void batchNormTraining(SampleShape s, int n, double eps, Buffer x, Buffer gamma, Buffer beta, Buffer y,
                                  Buffer savedMean, Buffer savedInvStd) {
        JavaBuffer in = b(x);
        JavaBuffer out = b(y);
        long count = (long) n * s.plane();
        for (int c = 0; c < s.channels(); c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                long base = ((long) i * s.channels() + c) * s.plane();
                for (int p = 0; p < s.plane(); p++) {
                    sum += in.get(base + p);
                }
            }
            double mean = sum / count;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                long base = ((long) i * s.channels() + c) * s.plane();
                for (int p = 0; p < s.plane(); p++) {
                    double d = in.get(base + p) - mean;
                    squares += d * d;
                }
            }
            double invStd = 1 / Math.sqrt(squares / count + eps);
            double g = b(gamma).get(c);
            double bt = b(beta).get(c);
            for (int i = 0; i < n; i++) {
                long base = ((long) i * s.channels() + c) * s.plane();
                for (int p = 0; p < s.plane(); p++) {
                    out.set(base + p, g * (in.get(base + p) - mean) * invStd + bt);
                }
            }
            b(savedMean).set(c, mean);
            b(savedInvStd).set(c, invStd);
        }
    }

    @Override
    public void batchNormUpdateRunning(int channels, double decay, double eps, Buffer savedMean, Buffer savedInvStd,
                                       Buffer runningMean, Buffer runningVar) {
        for (int c = 0; c < channels; c++) {
            double invStd = b(savedInvStd).get(c);
            double variance = 1 / (invStd * invStd) - eps;
            b(runningMean).set(c, decay * b(runningMean).get(c) + (1 - decay) * b(savedMean).get(c));
            b(runningVar).set(c, decay * b(runningVar).get(c) + (1 - decay) * variance);
        }
    }

    @Override
    public void batchNormInference(SampleShape s, int n, double eps, Buffer x, Buffer gamma, Buffer beta, Buffer mean,
                                   Buffer variance, Buffer y) {
        JavaBuffer in = b(x);
        JavaBuffer out = b(y);
        for (int c = 0; c < s.channels(); c++) {
            double scale = b(gamma).get(c) / Math.sqrt(b(variance).get(c) + eps);
            double m = b(mean).get(c);
            double bt = b(beta).get(c);
            for (int i = 0; i < n; i++) {
                long base = ((long) i * s.channels() + c) * s.plane();
                for (int p = 0; p < s.plane(); p++) {
                    out.set(base + p, (in.get(base + p) - m) * scale + bt);
                }
            }
        }
    }

    @Override
    public void batchNormBackward(SampleShape s, int n, double eps, Buffer x, Buffer dy, Buffer gamma,
                                  Buffer savedMean, Buffer savedInvStd, Buffer dx, boolean accumulate, Buffer dGamma,
                                  Buffer dBeta) {
        JavaBuffer in = b(x);
        JavaBuffer g = b(dy);
        JavaBuffer out = b(dx);
        long count = (long) n * s.plane();
        for (int c = 0; c < s.channels(); c++) {
            double mean = b(savedMean).get(c);
            double invStd = b(savedInvStd).get(c);
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                long base = ((long) i * s.channels() + c) * s.plane();
                for (int p = 0; p < s.plane(); p++) {
                    double d = g.get(base + p);
                    sumDy += d;
                    sumDyXhat += d * (in.get(base + p) - mean) * invStd;
                }
            }
            double factor = b(gamma).get(c) * invStd / count;
            for (int i = 0; i < n; i++) {
                long base = ((long) i * s.channels() + c) * s.plane();
                for (int p = 0; p < s.plane(); p++) {
                    double xhat = (in.get(base + p) - mean) * invStd;
                    out.put(base + p, factor * (count * g.get(base + p) - sumDy - xhat * sumDyXhat), accumulate);
                }
            }
            b(dGamma).set(c, sumDyXhat);
            b(dBeta).set(c, sumDy);
        }
    }

    @Override
    public void relu(Buffer x, Buffer y) {
        JavaBuffer in = b(x);
        JavaBuffer out = b(y);
        for (int i = 0; i < in.length(); i++) {
            out.set(i, Math.max(in.get(i), 0f));
        }
    }

    @Override
    public void reluBackward(Buffer y, Buffer dy, Buffer dx, boolean accumulate) {
        JavaBuffer out = b(y);
        JavaBuffer g = b(dy);
        JavaBuffer target = b(dx);
        for (int i = 0; i < out.length(); i++) {
            target.put(i, out.get(i) > 0 ? g.get(i) : 0, accumulate);
        }
    }

    @Override
    public void pool(PoolShape s, int n, Buffer x, Buffer y) {
        pool(s, n, b(x), b(y), null, null, false);
    }

    @Override
    public void poolBackward(PoolShape s, int n, Buffer x, Buffer y, Buffer dy, Buffer dx, boolean accumulate) {
        JavaBuffer target = b(dx);
        if (!accumulate) {
            fill(target, 0);
        }
        pool(s, n, b(x), null, b(dy), target, true);
    }

    /** Forward (into {@code y}) or backward (from {@code dy} into {@code dx}, adding) over every window. */
    private static void pool(PoolShape s, int n, JavaBuffer x, JavaBuffer y, JavaBuffer dy, JavaBuffer dx,
                             boolean backward) {
        SampleShape is = s.in();
        SampleShape os = s.out();
        int outH = os.height();
        int outW = os.width();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < is.channels(); c++) {
                long xBase = ((long) i * is.channels() + c) * is.plane();
                long yBase = ((long) i * is.channels() + c) * (long) outH * outW;
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        int h0 = oh * s.stride() - s.padding();
                        int w0 = ow * s.stride() - s.padding();
                        double best = Double.NEGATIVE_INFINITY;
                        long bestAt = -1;
                        double sum = 0;
                        int real = 0;
                        for (int kh = 0; kh < s.kernelH(); kh++) {
                            for (int kw = 0; kw < s.kernelW(); kw++) {
                                int ih = h0 + kh;
                                int iw = w0 + kw;
                                if (ih < 0 || ih >= is.height() || iw < 0 || iw >= is.width()) {
                                    continue;
                                }
                                long at = xBase + (long) ih * is.width() + iw;
                                double v = x.get(at);
                                if (v > best) {
                                    best = v;
                                    bestAt = at;
                                }
                                sum += v;
                                real++;
                            }
                        }
                        int divisor = s.countPadding() ? s.kernelH() * s.kernelW() : real;
                        long yAt = yBase + (long) oh * outW + ow;
                        if (!backward) {
                            y.set(yAt, s.max() ? best : sum / divisor);
                            continue;
                        }
                        double g = dy.get(yAt);
                        if (s.max()) {
                            dx.put(bestAt, g, true);
                            continue;
                        }
                        for (int kh = 0; kh < s.kernelH(); kh++) {
                            for (int kw = 0; kw < s.kernelW(); kw++) {
                                int ih = h0 + kh;
                                int iw = w0 + kw;
                                if (ih >= 0 && ih < is.height() && iw >= 0 && iw < is.width()) {
                                    dx.put(xBase + (long) ih * is.width() + iw, g / divisor, true);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void copyChannels(int n, int plane, Buffer src, int srcChannels, int srcFrom, Buffer dst, int dstChannels,
                             int dstFrom, int channels, boolean accumulate) {
        JavaBuffer from = b(src);
        JavaBuffer to = b(dst);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                long s0 = ((long) i * srcChannels + srcFrom + c) * plane;
                long d0 = ((long) i * dstChannels + dstFrom + c) * plane;
                for (int p = 0; p < plane; p++) {
                    to.put(d0 + p, from.get(s0 + p), accumulate);
                }
            }
        }
    }

    @Override
    public void dense(int n, int in, int out, Buffer x, Buffer weights, Buffer bias, Buffer y) {
        JavaBuffer a = b(x);
        JavaBuffer w = b(weights);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double sum = b(bias).get(o);
                for (int k = 0; k < in; k++) {
                    sum += a.get((long) i * in + k) * w.get((long) k * out + o);
                }
                b(y).set((long) i * out + o, sum);
            }
        }
    }

    @Override
    public void denseBackward(int n, int in, int out, Buffer x, Buffer weights, Buffer dy, Buffer dx,
                              boolean accumulate, Buffer dWeights, Buffer dBias) {
        JavaBuffer a = b(x);
        JavaBuffer w = b(weights);
        JavaBuffer g = b(dy);
        for (int k = 0; k < in; k++) {
            for (int o = 0; o < out; o++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += a.get((long) i * in + k) * g.get((long) i * out + o);
                }
                b(dWeights).set((long) k * out + o, sum);
            }
        }
        for (int o = 0; o < out; o++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += g.get((long) i * out + o);
            }
            b(dBias).set(o, sum);
        }
        if (dx != null) {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < in; k++) {
                    double sum = 0;
                    for (int o = 0; o < out; o++) {
                        sum += g.get((long) i * out + o) * w.get((long) k * out + o);
                    }
                    b(dx).put((long) i * in + k, sum, accumulate);
                }
            }
        }
    }

    @Override
    public void softmax(int n, int classes, Buffer logits, Buffer probabilities) {
        JavaBuffer z = b(logits);
        JavaBuffer p = b(probabilities);
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z.get((long) i * classes + c));
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z.get((long) i * classes + c) - max);
            }
            for (int c = 0; c < classes; c++) {
                p.set((long) i * classes + c, Math.exp(z.get((long) i * classes + c) - max) / sum);
            }
        }
    }

    @Override
    public double softmaxCrossEntropy(int n, int classes, Buffer logits, Buffer labels, Buffer probabilities,
                                      Buffer dLogits) {
        softmax(n, classes, logits, probabilities);
        JavaBuffer p = b(probabilities);
        JavaBuffer y = b(labels);
        double loss = 0;
        for (long i = 0; i < (long) n * classes; i++) {
            double clipped = Math.min(Math.max(p.get(i), 1e-10), 1 - 1e-10);
            loss -= y.get(i) * Math.log(clipped);
            b(dLogits).set(i, (p.get(i) - y.get(i)) / n);
        }
        return loss;
    }

    @Override
    public void dropout(double retain, Buffer x, Buffer y, Buffer mask) {
        JavaBuffer in = b(x);
        for (int i = 0; i < in.length(); i++) {
            double m = dropoutRandom.nextDouble() < retain ? 1 / retain : 0;
            b(mask).set(i, m);
            b(y).set(i, in.get(i) * m);
        }
    }

    @Override
    public void dropoutBackward(Buffer dy, Buffer mask, Buffer dx, boolean accumulate) {
        JavaBuffer g = b(dy);
        for (int i = 0; i < g.length(); i++) {
            b(dx).put(i, g.get(i) * b(mask).get(i), accumulate);
        }
    }

    @Override
    public double sumOfSquares(Buffer x) {
        JavaBuffer in = b(x);
        double sum = 0;
        for (int i = 0; i < in.length(); i++) {
            sum += (double) in.get(i) * in.get(i);
        }
        return sum;
    }

    @Override
    public double[] gram(int n, int stride, int offset, int width, Buffer rows) {
        JavaBuffer r = b(rows);
        double[] shifted = new double[n * width];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                shifted[i * width + j] = (double) r.get((long) i * stride + offset + j) - r.get(offset + j);
            }
        }
        double[] gram = new double[n * n];
        for (int a = 0; a < n; a++) {
            for (int c = a; c < n; c++) {
                double dot = 0;
                for (int j = 0; j < width; j++) {
                    dot += shifted[a * width + j] * shifted[c * width + j];
                }
                gram[a * n + c] = dot;
                gram[c * n + a] = dot;
            }
        }
        return gram;
    }

    @Override
    public void synchronize() {
    }

    @Override
    public String describe() {
        return "plain Java reference kernels";
    }

    @Override
    public void close() {
    }
}
