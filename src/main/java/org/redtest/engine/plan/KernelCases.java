package org.redtest.engine.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * Every {@link Kernels} operation on fixed-seed random data at the shapes our networks use, for comparing two
 * implementations op by op ({@code bench gpu-ops}: cuDNN/cuBLAS against the plain-Java reference). Each case
 * returns its outputs by name; the same case on the same kernels gives the same inputs.
 */
public final class KernelCases {
    /** One operation's largest difference between two implementations, against the scale of its values. */
    public record Result(String operation, String output, double largest, double scale) {
        public boolean within(double tolerance) {
            return largest <= tolerance * scale;
        }
    }

    private record Case(String name, BiConsumer<Kernels, Map<String, float[]>> run) {
    }

    private static final List<Case> CASES = cases();

    private KernelCases() {
    }

    public static List<String> names() {
        return CASES.stream().map(Case::name).toList();
    }

    /** Runs every case on both kernels and compares each output. A case that throws is reported with an infinite difference. */
    public static List<Result> compare(Kernels reference, Kernels tested) {
        List<Result> results = new ArrayList<>();
        for (Case c : CASES) {
            Map<String, float[]> expected = new LinkedHashMap<>();
            Map<String, float[]> actual = new LinkedHashMap<>();
            try {
                c.run().accept(reference, expected);
                c.run().accept(tested, actual);
            } catch (RuntimeException e) {
                results.add(new Result(c.name(), "failed: " + e.getMessage(), Double.POSITIVE_INFINITY, 1));
                continue;
            }
            expected.forEach((output, values) -> {
                float[] other = actual.get(output);
                double largest = 0;
                double scale = 1;
                for (int i = 0; i < values.length; i++) {
                    double d = Math.abs(values[i] - other[i]);
                    largest = Math.max(largest, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
                    scale = Math.max(scale, Math.abs(values[i]));
                }
                results.add(new Result(c.name(), output, largest, scale));
            });
        }
        return results;
    }

    private static float[] random(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static Buffer put(Kernels k, float[] values) {
        Buffer b = k.allocate(values.length);
        k.upload(values, b);
        return b;
    }

    /** n samples of shape s, given in NCHW order, as an activation in the kernels' order. */
    private static Buffer put(Kernels k, float[] values, SampleShape s, int n) {
        Buffer b = k.allocate(values.length);
        k.uploadActivation(values, s, n, b);
        return b;
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        int n = 8;
        for (ConvShape s : List.of(
                new ConvShape(new SampleShape(16, 16, 16), new SampleShape(32, 16, 16), 3, 1, 1, true),
                new ConvShape(new SampleShape(16, 16, 16), new SampleShape(32, 8, 8), 3, 2, 1, false),
                new ConvShape(new SampleShape(3, 32, 32), new SampleShape(16, 32, 32), 3, 1, 1, false),
                new ConvShape(new SampleShape(32, 8, 8), new SampleShape(64, 8, 8), 1, 1, 0, false),
                new ConvShape(new SampleShape(32, 8, 8), new SampleShape(32, 8, 8), 3, 1, 1, false))) {
            String name = "conv " + s.kernel() + "x" + s.kernel() + " stride " + s.stride() + " " + s.in() + " -> " + s.out();
            cases.add(new Case(name, (k, out) -> {
                Buffer x = put(k, random(n * s.in().size(), 1), s.in(), n);
                Buffer w = put(k, random(s.weightCount(), 2));
                Buffer b = s.bias() ? put(k, random(s.out().channels(), 3)) : null;
                Buffer y = k.allocate((long) n * s.out().size());
                k.convForward(s, n, x, w, b, y);
                out.put("y", k.downloadActivation(y, s.out(), n));
                Buffer dy = put(k, random(n * s.out().size(), 4), s.out(), n);
                Buffer dx = put(k, random(n * s.in().size(), 5), s.in(), n);
                k.convBackwardData(s, n, dy, w, dx, true);
                out.put("dx (added)", k.downloadActivation(dx, s.in(), n));
                Buffer dw = k.allocate(s.weightCount());
                Buffer db = s.bias() ? k.allocate(s.out().channels()) : null;
                k.convBackwardParams(s, n, x, dy, dw, db);
                out.put("dW", k.download(dw));
                if (db != null) {
                    out.put("db", k.download(db));
                }
            }));
        }
        ConvShape fused = new ConvShape(new SampleShape(16, 16, 16), new SampleShape(32, 16, 16), 3, 1, 1, true);
        cases.add(new Case("conv 3x3 with bias, addend and ReLU (inference)", (k, out) -> {
            Buffer x = put(k, random(n * fused.in().size(), 31), fused.in(), n);
            Buffer w = put(k, random(fused.weightCount(), 32));
            Buffer b = put(k, random(fused.out().channels(), 33));
            Buffer addend = put(k, random(n * fused.out().size(), 37), fused.out(), n);
            Buffer y = k.allocate((long) n * fused.out().size());
            k.convForward(fused, n, x, w, b, null, y, true);
            out.put("relu(conv)", k.downloadActivation(y, fused.out(), n));
            k.convForward(fused, n, x, w, b, addend, y, true);
            out.put("relu(conv + addend)", k.downloadActivation(y, fused.out(), n));
            k.convForward(fused, n, x, w, b, addend, y, false);
            out.put("conv + addend", k.downloadActivation(y, fused.out(), n));
        }));
        cases.add(new Case("sum of three, with and without ReLU", (k, out) -> {
            List<Buffer> xs = List.of(put(k, random(50_000, 34)), put(k, random(50_000, 35)), put(k, random(50_000, 36)));
            Buffer y = k.allocate(50_000);
            k.sum(xs, y, false);
            out.put("sum", k.download(y));
            k.sum(xs.subList(0, 2), y, true);
            out.put("relu(sum of two)", k.download(y));
        }));
        SampleShape bn = new SampleShape(32, 8, 8);
        cases.add(new Case("batch norm " + bn, (k, out) -> {
            Buffer x = put(k, random(n * bn.size(), 6), bn, n);
            Buffer gamma = put(k, random(bn.channels(), 7));
            Buffer beta = put(k, random(bn.channels(), 8));
            Buffer y = k.allocate((long) n * bn.size());
            Buffer mean = k.allocate(bn.channels());
            Buffer invStd = k.allocate(bn.channels());
            k.batchNormTraining(bn, n, 1e-5, x, gamma, beta, y, mean, invStd);
            out.put("y (training)", k.downloadActivation(y, bn, n));
            out.put("batch mean", k.download(mean));
            out.put("batch 1/std", k.download(invStd));
            Buffer runningMean = put(k, random(bn.channels(), 9));
            Buffer runningVar = k.allocate(bn.channels());
            k.fill(runningVar, 0.5f);
            k.batchNormUpdateRunning(bn.channels(), 0.9, 1e-5, mean, invStd, runningMean, runningVar);
            out.put("running mean", k.download(runningMean));
            out.put("running variance", k.download(runningVar));
            k.batchNormInference(bn, n, 1e-5, x, gamma, beta, runningMean, runningVar, y);
            out.put("y (inference)", k.downloadActivation(y, bn, n));
            Buffer dy = put(k, random(n * bn.size(), 10), bn, n);
            Buffer dx = put(k, random(n * bn.size(), 11), bn, n);
            Buffer dGamma = k.allocate(bn.channels());
            Buffer dBeta = k.allocate(bn.channels());
            k.batchNormBackward(bn, n, 1e-5, x, dy, gamma, mean, invStd, dx, true, dGamma, dBeta);
            out.put("dx (added)", k.downloadActivation(dx, bn, n));
            out.put("dgamma", k.download(dGamma));
            out.put("dbeta", k.download(dBeta));
        }));
        cases.add(new Case("batch norm + ReLU, training " + bn, (k, out) -> {
            Buffer x = put(k, random(n * bn.size(), 38), bn, n);
            Buffer gamma = put(k, random(bn.channels(), 39));
            Buffer beta = put(k, random(bn.channels(), 40));
            Buffer y = k.allocate((long) n * bn.size());
            Buffer mean = k.allocate(bn.channels());
            Buffer invStd = k.allocate(bn.channels());
            Buffer workspace = k.allocate(Math.max(1, k.batchNormReluWorkspace(bn, n, 1e-5)));
            k.batchNormReluTraining(bn, n, 1e-5, x, gamma, beta, y, mean, invStd, workspace);
            out.put("relu(y)", k.downloadActivation(y, bn, n));
            out.put("batch 1/std", k.download(invStd));
            Buffer dy = put(k, random(n * bn.size(), 41), bn, n);
            Buffer dx = put(k, random(n * bn.size(), 42), bn, n);
            Buffer dGamma = k.allocate(bn.channels());
            Buffer dBeta = k.allocate(bn.channels());
            k.batchNormReluBackward(bn, n, 1e-5, x, y, dy, gamma, mean, invStd, workspace, dx, true, dGamma, dBeta);
            out.put("dx (added)", k.downloadActivation(dx, bn, n));
            out.put("dgamma", k.download(dGamma));
            out.put("dbeta", k.download(dBeta));
        }));
        cases.add(new Case("relu", (k, out) -> {
            Buffer x = put(k, random(4096, 12));
            Buffer y = k.allocate(4096);
            k.relu(x, y);
            out.put("y", k.download(y));
            Buffer dy = put(k, random(4096, 13));
            Buffer dx = put(k, random(4096, 14));
            k.reluBackward(y, dy, dx, true);
            out.put("dx (added)", k.download(dx));
            k.reluBackward(y, dy, dy, false);
            out.put("dy (in place)", k.download(dy));
        }));
        SampleShape image = new SampleShape(16, 8, 8);
        SampleShape wide = new SampleShape(32, 8, 8);
        for (PoolShape p : List.of(
                new PoolShape(wide, new SampleShape(32, 4, 4), true, 2, 2, 2, 0, true),
                PoolShape.global(wide),
                new PoolShape(image, new SampleShape(16, 4, 4), true, 2, 2, 2, 0, true),
                new PoolShape(image, new SampleShape(16, 4, 4), true, 1, 1, 2, 0, true),
                new PoolShape(image, image, false, 3, 3, 1, 1, false),
                new PoolShape(image, new SampleShape(16, 4, 4), false, 2, 2, 2, 0, true),
                PoolShape.global(image))) {
            String name = (p.max() ? "max" : "average") + " pool " + p.kernelH() + "x" + p.kernelW() + " stride "
                    + p.stride() + " padding " + p.padding() + " of " + p.in();
            cases.add(new Case(name, (k, out) -> {
                Buffer x = put(k, random(n * p.in().size(), 15), p.in(), n);
                Buffer y = k.allocate((long) n * p.out().size());
                k.pool(p, n, x, y);
                out.put("y", k.downloadActivation(y, p.out(), n));
                Buffer dy = put(k, random(n * p.out().size(), 16), p.out(), n);
                Buffer dx = put(k, random(n * p.in().size(), 17), p.in(), n);
                k.poolBackward(p, n, x, y, dy, dx, true);
                out.put("dx (added)", k.downloadActivation(dx, p.in(), n));
            }));
        }
        cases.add(new Case("channel copy (subset, concatenation)", (k, out) -> {
            SampleShape from = new SampleShape(16, 8, 8);
            SampleShape to = new SampleShape(24, 8, 8);
            Buffer src = put(k, random(n * from.size(), 18), from, n);
            Buffer dst = put(k, random(n * to.size(), 19), to, n);
            k.copyChannels(n, 64, src, 16, 3, dst, 24, 10, 8, false);
            out.put("written", k.downloadActivation(dst, to, n));
            k.copyChannels(n, 64, src, 16, 0, dst, 24, 0, 16, true);
            out.put("added", k.downloadActivation(dst, to, n));
        }));
        cases.add(new Case("channel copy of 32-channel blocks", (k, out) -> {
            SampleShape from = new SampleShape(32, 4, 4);
            SampleShape to = new SampleShape(64, 4, 4);
            Buffer src = put(k, random(n * from.size(), 43), from, n);
            Buffer dst = put(k, random(n * to.size(), 44), to, n);
            k.copyChannels(n, 16, src, 32, 0, dst, 64, 32, 32, false);
            out.put("written", k.downloadActivation(dst, to, n));
            k.copyChannels(n, 16, dst, 64, 8, src, 32, 0, 24, true);
            out.put("added", k.downloadActivation(src, from, n));
        }));
        cases.add(new Case("dense 64 -> 10 and its gradients", (k, out) -> {
            Buffer x = put(k, random(n * 64, 20));
            Buffer w = put(k, random(64 * 10, 21));
            Buffer b = put(k, random(10, 22));
            Buffer y = k.allocate(n * 10);
            k.dense(n, 64, 10, x, w, b, y);
            out.put("y", k.download(y));
            Buffer dy = put(k, random(n * 10, 23));
            Buffer dx = put(k, random(n * 64, 24));
            Buffer dw = k.allocate(64 * 10);
            Buffer db = k.allocate(10);
            k.denseBackward(n, 64, 10, x, w, dy, dx, true, dw, db);
            out.put("dx (added)", k.download(dx));
            out.put("dW", k.download(dw));
            out.put("db", k.download(db));
        }));
        cases.add(new Case("softmax cross-entropy", (k, out) -> {
            Buffer z = put(k, random(n * 10, 25));
            float[] oneHot = new float[n * 10];
            for (int i = 0; i < n; i++) {
                oneHot[i * 10 + (i * 7) % 10] = 1;
            }
            Buffer labels = put(k, oneHot);
            Buffer p = k.allocate(n * 10);
            Buffer dz = k.allocate(n * 10);
            double loss = k.softmaxCrossEntropy(n, 10, z, labels, p, dz);
            out.put("loss", new float[]{(float) loss});
            out.put("probabilities", k.download(p));
            out.put("dlogits", k.download(dz));
            k.softmax(n, 10, z, p);
            out.put("softmax", k.download(p));
        }));
        cases.add(new Case("scale, copy, add; sum of squares", (k, out) -> {
            Buffer x = put(k, random(10_000, 26));
            Buffer y = put(k, random(10_000, 27));
            k.scale(-0.3, x, y, true);
            out.put("y + a x", k.download(y));
            k.scale(1, x, y, false);
            out.put("copy", k.download(y));
            k.scale(0.9, y, y, false);
            out.put("a y (in place)", k.download(y));
            out.put("sum of squares", new float[]{(float) k.sumOfSquares(x)});
            k.fill(y, 0.25f);
            out.put("fill", k.download(y));
        }));
        cases.add(new Case("scale, copy, add on a long vector", (k, out) -> {
            int length = 100_000; // long enough for implementations that hand long vectors to a library
            Buffer x = put(k, random(length, 29));
            Buffer y = put(k, random(length, 30));
            k.scale(1, x, y, true);
            out.put("y + x", k.download(y));
            k.scale(-0.3, x, y, true);
            out.put("y + a x", k.download(y));
            k.scale(0.5, x, y, false);
            out.put("a x", k.download(y));
            k.scale(1, x, y, false);
            out.put("copy", k.download(y));
            k.fill(y, 0);
            out.put("zeros", k.download(y));
        }));
        cases.add(new Case("Gram matrix of a column block", (k, out) -> {
            Buffer rows = put(k, random(64 * 48, 28));
            double[] gram = k.gram(64, 48, 16, 24, rows);
            float[] g = new float[gram.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) gram[i];
            }
            out.put("gram", g);
        }));
        return cases;
    }
}
