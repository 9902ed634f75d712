package org.redtest.engine.cpu;

import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.engine.plan.Buffer;
import org.redtest.engine.plan.ConvShape;
import org.redtest.engine.plan.JavaKernels;
import org.redtest.engine.plan.Kernels;
import org.redtest.engine.plan.PoolShape;
import org.redtest.engine.plan.SampleShape;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_sgemm;

/**
 * The plan's operations on the CPU: convolutions, batch norm, pooling and the long element-wise passes as
 * oneDNN primitives (on oneDNN's OpenMP threads), with each activation kept in the layout its channel count
 * gets ({@link ActivationLayout}: {@code nhwc}, or channel-blocked where Winograd convolutions run), so
 * that no activation is reordered between layers. Short vectors (the classifier's softmax and loss,
 * per-channel statistics) are Java loops; rare operations (dropout, Gram matrices) run on the plain-Java
 * kernels over copies. Parameters keep the plan's plain layouts ({@code oihw} weights); each convolution
 * reorders its weights into its kernels' layout as it runs.
 *
 * <p>One thread uses an instance; {@link #close} releases its scratch buffers.
 */
public final class OneDnnKernels implements Kernels {
    /** Vectors shorter than this are Java loops: a oneDNN call costs more than the pass. */
    private static final long PARALLEL = 1 << 15;
    // Primitives by their shapes and batch size. The keys are records, not strings: they are looked up several
    // hundred times a step, and building strings there cost time and made the executor's methods slow to compile.
    private final Map<ConvKey, ConvPrimitives> convolutions = new HashMap<>();
    /** Convolutions whose weights never change (reordered once per weight buffer), with their epilogues. */
    private final Map<InferenceConvKey, ConvPrimitives> inferenceConvolutions = new HashMap<>();
    private final Map<BatchNormKey, BatchNormPrimitives> batchNorms = new HashMap<>();
    private final Map<PoolKey, PoolingPrimitives> pools = new HashMap<>();
    private final VectorPrimitives vectors = new VectorPrimitives();
    private final Map<BatchKey, BatchReorder> batchReorders = new HashMap<>();
    /** Empty where oneDNN cannot do the copy. */
    private final Map<ChannelCopyKey, Optional<ChannelCopy>> channelCopies = new HashMap<>();
    private final JavaKernels reference;
    private NativeBuffer scratch;
    private NativeBuffer channelScratch;

    /** {@code seed}: of the dropout masks. Throws when oneDNN cannot be loaded here. */
    public OneDnnKernels(long seed) {
        OneDnn.ensureLoaded();
        reference = new JavaKernels(seed);
    }

    /** True when oneDNN's Java bindings load on this machine. */
    public static boolean available() {
        try {
            OneDnn.ensureLoaded();
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    private static NativeBuffer b(Buffer buffer) {
        return (NativeBuffer) buffer;
    }

    @Override
    public boolean channelsLast() {
        return true;
    }

    @Override
    public Buffer allocate(long length) {
        return NativeBuffer.allocate(length);
    }

    @Override
    public void free(Buffer buffer) {
        b(buffer).free();
    }

    @Override
    public void upload(float[] values, Buffer target) {
        NativeBuffer t = b(target);
        if (values.length > t.count()) {
            throw new IllegalArgumentException(values.length + " values into a buffer of " + t.count());
        }
        t.values().put((int) t.offset(), values);
    }

    @Override
    public float[] download(Buffer source) {
        NativeBuffer s = b(source);
        float[] out = new float[(int) s.count()];
        s.values().get((int) s.offset(), out);
        return out;
    }

    @Override
    public void uploadActivation(float[] nchw, SampleShape s, int n, Buffer target) {
        upload(s.plane() == 1 ? nchw : ActivationLayout.fromNchw(nchw, s, n), target);
    }

    /** A float NCHW array rewritten in the kernels' layout by one oneDNN reorder from its own memory; others via a copy. */
    @Override
    public void uploadBatch(INDArray nchw, SampleShape s, Buffer target) {
        if (nchw.dataType() != DataType.FLOAT || !OneDnnConvHelper.isDense(nchw) || nchw.length() != target.length()) {
            Kernels.super.uploadBatch(nchw, s, target);
            return;
        }
        long[] dims = {nchw.size(0), s.channels(), s.height(), s.width()};
        BatchReorder r = batchReorders.computeIfAbsent(new BatchKey(s, (int) dims[0]),
                k -> new BatchReorder(dims, ActivationLayout.tag(s.channels())));
        if (r.reorder() == null) { // one channel or one pixel: the orders agree
            Pointer.memcpy(b(target).pointer(), nchw.data().addressPointer(), 4 * target.length());
            return;
        }
        OneDnn.bind(r.from(), nchw);
        OneDnn.bind(r.to(), b(target).address());
        OneDnn.reorder(r.reorder(), r.from(), r.to());
    }

    private record ConvKey(ConvShape shape, int n) {
    }

    private record InferenceConvKey(ConvShape shape, int n, boolean addend, boolean relu) {
    }

    private record BatchNormKey(SampleShape shape, int n, double eps, boolean relu) {
    }

    private record PoolKey(PoolShape shape, int n) {
    }

    private record BatchKey(SampleShape shape, int n) {
    }

    private record ChannelCopyKey(int n, int plane, int srcChannels, int srcFrom, int dstChannels, int dstFrom,
                                  int channels, boolean accumulate) {
    }

    /** nchw to the kernels' layout for one batch shape, with the memories that point it at the arrays. */
    private record BatchReorder(dnnl_primitive reorder, dnnl_memory from, dnnl_memory to) {
        BatchReorder(long[] dims, int tag) {
            this(dims, OneDnn.desc(dims, dnnl_nchw), OneDnn.desc(dims, tag));
        }

        private BatchReorder(long[] dims, dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
            this(OneDnn.reorder(from, to), OneDnn.memory(from, null), OneDnn.memory(to, null));
        }
    }

    @Override
    public float[] downloadActivation(Buffer source, SampleShape s, int n) {
        float[] values = download(source);
        return s.plane() == 1 ? values : ActivationLayout.toNchw(values, s, n);
    }

    @Override
    public void fill(Buffer target, float value) {
        NativeBuffer t = b(target);
        if (value == 0) {
            Pointer.memset(t.pointer(), 0, 4 * t.count());
            return;
        }
        for (long i = 0; i < t.count(); i++) {
            t.set(i, value);
        }
    }

    @Override
    public void scale(double factor, Buffer x, Buffer y, boolean accumulate) {
        NativeBuffer in = b(x);
        NativeBuffer out = b(y);
        long count = in.count();
        if (count < PARALLEL) {
            for (long i = 0; i < count; i++) {
                double v = factor * in.get(i);
                out.set(i, (float) (accumulate ? out.get(i) + v : v));
            }
        } else if (!accumulate) {
            vectors.scale((float) factor, in, out);
        } else if (factor == 1) {
            vectors.add(out, in, out);
        } else {
            NativeBuffer t = scratch(count);
            vectors.scale((float) factor, in, t);
            vectors.add(out, t, out);
        }
    }

    /** {@code target} = what {@code write} produces, or {@code target} += it when accumulating. */
    private void into(Buffer target, boolean accumulate, Consumer<NativeBuffer> write) {
        NativeBuffer t = b(target);
        if (!accumulate) {
            write.accept(t);
            return;
        }
        NativeBuffer s = scratch(t.count());
        write.accept(s);
        vectors.add(t, s, t);
    }

    @Override
    public void convForward(ConvShape s, int n, Buffer x, Buffer weights, Buffer bias, Buffer y) {
        convolution(s, n).forward(b(x), b(weights), bias == null ? null : b(bias), b(y));
    }

    @Override
    public void convForward(ConvShape s, int n, Buffer x, Buffer weights, Buffer bias, Buffer addend, Buffer y,
                            boolean relu) {
        boolean add = addend != null;
        if (add) {
            vectors.scale(1, b(addend), b(y)); // the convolution adds its result to what y holds
        }
        inferenceConvolutions.computeIfAbsent(new InferenceConvKey(s, n, add, relu),
                k -> ConvPrimitives.inference(s, n, add, relu))
                .forward(b(x), b(weights), bias == null ? null : b(bias), b(y));
    }

    @Override
    public boolean fusesInference() {
        return true;
    }

    @Override
    public void sum(List<Buffer> xs, Buffer y, boolean relu) {
        NativeBuffer out = b(y);
        if (xs.size() == 1) {
            scale(1, xs.get(0), y, false);
            if (relu) {
                relu(y, y);
            }
            return;
        }
        for (int i = 1; i < xs.size(); i++) { // one pass per extra input: the first reads both operands
            vectors.add(i == 1 ? b(xs.get(0)) : out, b(xs.get(i)), out, relu && i == xs.size() - 1);
        }
    }

    @Override
    public void convBackwardData(ConvShape s, int n, Buffer dy, Buffer weights, Buffer dx, boolean accumulate) {
        ConvPrimitives c = convolution(s, n);
        into(dx, accumulate, t -> c.backwardData(b(dy), b(weights), t));
    }

    @Override
    public void convBackwardParams(ConvShape s, int n, Buffer x, Buffer dy, Buffer dWeights, Buffer dBias) {
        convolution(s, n).backwardParams(b(x), b(dy), b(dWeights), dBias == null ? null : b(dBias));
    }

    private ConvPrimitives convolution(ConvShape s, int n) {
        return convolutions.computeIfAbsent(new ConvKey(s, n), k -> new ConvPrimitives(s, n));
    }

    private BatchNormPrimitives batchNorm(SampleShape s, int n, double eps) {
        return batchNorms.computeIfAbsent(new BatchNormKey(s, n, eps, false), k -> new BatchNormPrimitives(s, n, eps, false));
    }

    private BatchNormPrimitives batchNormRelu(SampleShape s, int n, double eps) {
        return batchNorms.computeIfAbsent(new BatchNormKey(s, n, eps, true), k -> new BatchNormPrimitives(s, n, eps, true));
    }

    @Override
    public void batchNormTraining(SampleShape s, int n, double eps, Buffer x, Buffer gamma, Buffer beta, Buffer y,
                                  Buffer savedMean, Buffer savedInvStd) {
        training(batchNorm(s, n, eps), s, eps, x, gamma, beta, y, savedMean, savedInvStd, null);
    }

    /** Diagnostic switch: {@code false} runs every ReLU of a training step as a pass of its own. */
    static final String FUSE_RELU_PROPERTY = "redtest.cpu.fuseRelu";

    @Override
    public boolean fusesTrainingRelu() {
        return Boolean.parseBoolean(System.getProperty(FUSE_RELU_PROPERTY, "true"));
    }

    @Override
    public long batchNormReluWorkspace(SampleShape s, int n, double eps) {
        return (batchNormRelu(s, n, eps).workspaceBytes() + 3) / 4;
    }

    @Override
    public void batchNormReluTraining(SampleShape s, int n, double eps, Buffer x, Buffer gamma, Buffer beta, Buffer y,
                                      Buffer savedMean, Buffer savedInvStd, Buffer workspace) {
        training(batchNormRelu(s, n, eps), s, eps, x, gamma, beta, y, savedMean, savedInvStd, b(workspace));
    }

    private void training(BatchNormPrimitives bn, SampleShape s, double eps, Buffer x, Buffer gamma, Buffer beta, Buffer y,
                          Buffer savedMean, Buffer savedInvStd, NativeBuffer workspace) {
        NativeBuffer variance = channelScratch(s.channels());
        bn.training(b(x), b(gamma), b(beta), b(y), b(savedMean), variance, workspace);
        NativeBuffer invStd = b(savedInvStd);
        for (int c = 0; c < s.channels(); c++) {
            invStd.set(c, (float) (1 / Math.sqrt(variance.get(c) + eps)));
        }
    }

    @Override
    public void batchNormUpdateRunning(int channels, double decay, double eps, Buffer savedMean, Buffer savedInvStd,
                                       Buffer runningMean, Buffer runningVar) {
        NativeBuffer m = b(savedMean);
        NativeBuffer s = b(savedInvStd);
        NativeBuffer rm = b(runningMean);
        NativeBuffer rv = b(runningVar);
        for (int c = 0; c < channels; c++) {
            double invStd = s.get(c);
            double variance = 1 / (invStd * invStd) - eps;
            rm.set(c, (float) (decay * rm.get(c) + (1 - decay) * m.get(c)));
            rv.set(c, (float) (decay * rv.get(c) + (1 - decay) * variance));
        }
    }

    @Override
    public void batchNormInference(SampleShape s, int n, double eps, Buffer x, Buffer gamma, Buffer beta, Buffer mean,
                                   Buffer variance, Buffer y) {
        batchNorm(s, n, eps).inference(b(x), b(gamma), b(beta), b(mean), b(variance), b(y));
    }

    @Override
    public void batchNormBackward(SampleShape s, int n, double eps, Buffer x, Buffer dy, Buffer gamma, Buffer savedMean,
                                  Buffer savedInvStd, Buffer dx, boolean accumulate, Buffer dGamma, Buffer dBeta) {
        backward(batchNorm(s, n, eps), s, eps, x, dy, gamma, savedMean, savedInvStd, null, dx, accumulate, dGamma, dBeta);
    }

    @Override
    public void batchNormReluBackward(SampleShape s, int n, double eps, Buffer x, Buffer y, Buffer dy, Buffer gamma,
                                      Buffer savedMean, Buffer savedInvStd, Buffer workspace, Buffer dx,
                                      boolean accumulate, Buffer dGamma, Buffer dBeta) {
        backward(batchNormRelu(s, n, eps), s, eps, x, dy, gamma, savedMean, savedInvStd, b(workspace), dx, accumulate,
                dGamma, dBeta);
    }

    private void backward(BatchNormPrimitives bn, SampleShape s, double eps, Buffer x, Buffer dy, Buffer gamma,
                          Buffer savedMean, Buffer savedInvStd, NativeBuffer workspace, Buffer dx, boolean accumulate,
                          Buffer dGamma, Buffer dBeta) {
        NativeBuffer variance = channelScratch(s.channels());
        NativeBuffer invStd = b(savedInvStd);
        for (int c = 0; c < s.channels(); c++) {
            double v = invStd.get(c);
            variance.set(c, (float) (1 / (v * v) - eps));
        }
        into(dx, accumulate, t -> bn.backward(b(x), b(dy), b(gamma), b(savedMean), variance, workspace, t, b(dGamma),
                b(dBeta)));
    }

    @Override
    public void relu(Buffer x, Buffer y) {
        vectors.relu(b(x), b(y));
    }

    @Override
    public void reluBackward(Buffer y, Buffer dy, Buffer dx, boolean accumulate) {
        into(dx, accumulate, t -> vectors.reluBackward(b(y), b(dy), t));
    }

    private PoolingPrimitives pooling(PoolShape p, int n) {
        return pools.computeIfAbsent(new PoolKey(p, n), k -> new PoolingPrimitives(p, n));
    }

    @Override
    public void pool(PoolShape s, int n, Buffer x, Buffer y) {
        pooling(s, n).forward(b(x), b(y));
    }

    @Override
    public void poolBackward(PoolShape s, int n, Buffer x, Buffer y, Buffer dy, Buffer dx, boolean accumulate) {
        PoolingPrimitives p = pooling(s, n);
        into(dx, accumulate, t -> p.backward(b(x), b(y), b(dy), t));
    }

    /**
     * Channels of activations in their {@link ActivationLayout}s (which may differ between source and target):
     * one oneDNN reorder between channel windows, or a Java loop where a window would split a channel block.
     */
    @Override
    public void copyChannels(int n, int plane, Buffer src, int srcChannels, int srcFrom, Buffer dst, int dstChannels,
                             int dstFrom, int channels, boolean accumulate) {
        var key = new ChannelCopyKey(n, plane, srcChannels, srcFrom, dstChannels, dstFrom, channels, accumulate);
        ChannelCopy copy = channelCopies.computeIfAbsent(key, k -> Optional.ofNullable(
                ChannelCopy.of(n, plane, srcChannels, srcFrom, dstChannels, dstFrom, channels, accumulate))).orElse(null);
        if (copy != null) {
            copy.run(b(src), b(dst));
            return;
        }
        NativeBuffer from = b(src);
        NativeBuffer to = b(dst);
        SampleShape in = new SampleShape(srcChannels, plane, 1);
        SampleShape out = new SampleShape(dstChannels, plane, 1);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    long s = ActivationLayout.offset(in, i, srcFrom + c, p);
                    long d = ActivationLayout.offset(out, i, dstFrom + c, p);
                    float v = from.get(s);
                    to.set(d, accumulate ? to.get(d) + v : v);
                }
            }
        }
    }

    @Override
    public void dense(int n, int in, int out, Buffer x, Buffer weights, Buffer bias, Buffer y) {
        NativeBuffer yb = b(y);
        gemm('N', 'N', n, out, in, b(x), in, b(weights), out, 0, yb, out);
        NativeBuffer bb = b(bias);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                yb.set((long) i * out + o, yb.get((long) i * out + o) + bb.get(o));
            }
        }
    }

    @Override
    public void denseBackward(int n, int in, int out, Buffer x, Buffer weights, Buffer dy, Buffer dx, boolean accumulate,
                              Buffer dWeights, Buffer dBias) {
        NativeBuffer g = b(dy);
        gemm('T', 'N', in, out, n, b(x), in, g, out, 0, b(dWeights), out);
        NativeBuffer db = b(dBias);
        for (int o = 0; o < out; o++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += g.get((long) i * out + o);
            }
            db.set(o, (float) sum);
        }
        if (dx != null) {
            gemm('N', 'T', n, in, out, g, out, b(weights), out, accumulate ? 1 : 0, b(dx), in);
        }
    }

    /** Row-major C = op(A) op(B) + beta C, on oneDNN's threads. */
    private static void gemm(char transA, char transB, long m, long n, long k, NativeBuffer a, long lda, NativeBuffer bm,
                             long ldb, float beta, NativeBuffer c, long ldc) {
        OneDnn.check(dnnl_sgemm((byte) transA, (byte) transB, m, n, k, 1f, a.pointer(), lda, bm.pointer(), ldb, beta,
                c.pointer(), ldc), "sgemm");
    }

    @Override
    public void softmax(int n, int classes, Buffer logits, Buffer probabilities) {
        JavaKernels.JavaBuffer p = onJava(probabilities);
        reference.softmax(n, classes, onJava(logits), p);
        upload(p.data(), probabilities);
    }

    @Override
    public double softmaxCrossEntropy(int n, int classes, Buffer logits, Buffer labels, Buffer probabilities,
                                      Buffer dLogits) {
        JavaKernels.JavaBuffer p = onJava(probabilities);
        JavaKernels.JavaBuffer d = onJava(dLogits);
        double loss = reference.softmaxCrossEntropy(n, classes, onJava(logits), onJava(labels), p, d);
        upload(p.data(), probabilities);
        upload(d.data(), dLogits);
        return loss;
    }

    @Override
    public void dropout(double retain, Buffer x, Buffer y, Buffer mask) {
        JavaKernels.JavaBuffer out = onJava(y);
        JavaKernels.JavaBuffer m = onJava(mask);
        reference.dropout(retain, onJava(x), out, m);
        upload(out.data(), y);
        upload(m.data(), mask);
    }

    @Override
    public void dropoutBackward(Buffer dy, Buffer mask, Buffer dx, boolean accumulate) {
        JavaKernels.JavaBuffer out = onJava(dx);
        reference.dropoutBackward(onJava(dy), onJava(mask), out, accumulate);
        upload(out.data(), dx);
    }

    @Override
    public double sumOfSquares(Buffer x) {
        NativeBuffer v = b(x);
        double sum = 0;
        for (long i = 0; i < v.count(); i++) {
            double f = v.get(i);
            sum += f * f;
        }
        return sum;
    }

    @Override
    public double[] gram(int n, int stride, int offset, int width, Buffer rows) {
        return reference.gram(n, stride, offset, width, onJava(rows));
    }

    /** A copy of {@code buffer} for the plain-Java kernels. */
    private JavaKernels.JavaBuffer onJava(Buffer buffer) {
        float[] values = download(buffer);
        return new JavaKernels.JavaBuffer(values, 0, values.length);
    }

    @Override
    public void synchronize() {
    }

    /** How many primitive sets (per shape and batch size) have been made so far (for tests). */
    int primitiveSets() {
        return convolutions.size() + inferenceConvolutions.size() + batchNorms.size() + pools.size()
                + batchReorders.size() + channelCopies.size();
    }

    @Override
    public String describe() {
        return "oneDNN on the CPU (" + CpuAcceleration.status().describe() + "), nhwc and channel-blocked activations";
    }

    private NativeBuffer scratch(long length) {
        if (scratch == null || scratch.count() < length) {
            if (scratch != null) {
                scratch.free();
            }
            scratch = NativeBuffer.allocate(length);
        }
        return (NativeBuffer) scratch.slice(0, length);
    }

    private NativeBuffer channelScratch(int channels) {
        if (channelScratch == null || channelScratch.count() < channels) {
            if (channelScratch != null) {
                channelScratch.free();
            }
            channelScratch = NativeBuffer.allocate(Math.max(channels, 1024));
        }
        return (NativeBuffer) channelScratch.slice(0, channels);
    }

    @Override
    public void close() {
        for (NativeBuffer s : new NativeBuffer[]{scratch, channelScratch}) {
            if (s != null) {
                s.free();
            }
        }
        scratch = channelScratch = null;
    }
}
