package org.redtest.engine.cuda;

import org.bytedeco.cuda.cudnn.cudnnActivationStruct;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdDataAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnPoolingStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.redtest.engine.plan.Buffer;
import org.redtest.engine.plan.ConvShape;
import org.redtest.engine.plan.Kernels;
import org.redtest.engine.plan.PoolShape;
import org.redtest.engine.plan.SampleShape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.cuda.global.cublas.CUBLAS_FILL_MODE_UPPER;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.cublasSaxpy_v2;
import static org.bytedeco.cuda.global.cublas.cublasSgeam;
import static org.bytedeco.cuda.global.cublas.cublasSgemm_v2;
import static org.bytedeco.cuda.global.cublas.cublasSger_v2;
import static org.bytedeco.cuda.global.cublas.cublasSnrm2_v2;
import static org.bytedeco.cuda.global.cublas.cublasSscal_v2;
import static org.bytedeco.cuda.global.cublas.cublasSsyrk_v2;
import static org.bytedeco.cuda.global.cudnn.*;

/**
 * The plan's operations on an NVIDIA GPU: cuDNN for convolutions (algorithms chosen once per shape), batch
 * norm, ReLU, pooling, softmax and strided tensor copies; cuBLAS for dense layers, the optimiser's
 * whole-buffer arithmetic and the Gram matrices of measured units; the engine's NVRTC kernels for the rest
 * ({@link DeviceKernels}). Everything is queued on one stream; uploads and downloads go through one pinned
 * host buffer. Not thread-safe.
 */
final class CudaKernels implements Kernels {
    /** The most workspace a convolution algorithm may ask for. */
    private static final long WORKSPACE_LIMIT = 1L << 30;

    private final CudaDevice device;

    CudaDevice device() {
        return device;
    }
    private final Map<List<Long>, cudnnTensorStruct> tensors = new HashMap<>();
    private final Map<List<Object>, Conv> convs = new HashMap<>();
    private final Map<PoolShape, cudnnPoolingStruct> pools = new HashMap<>();
    private final List<Long> allocations = new ArrayList<>();
    private final cudnnActivationStruct relu = new cudnnActivationStruct();
    private final FloatPointer alpha = new FloatPointer(1);
    private final FloatPointer beta = new FloatPointer(1);
    private final FloatPointer result = new FloatPointer(1);
    private FloatPointer staging;
    private long stagingCount;
    private Pointer workspace;
    private long workspaceBytes;
    private CudaBuffer ones;
    private CudaBuffer gramScratch;
    private long dropoutDraws = 0x5DEECE66DL;

    CudaKernels(CudaDevice device) {
        this.device = device;
        Check.cudnn(cudnnCreateActivationDescriptor(relu), "cudnnCreateActivationDescriptor");
        Check.cudnn(cudnnSetActivationDescriptor(relu, CUDNN_ACTIVATION_RELU, CUDNN_PROPAGATE_NAN, 0), "cudnnSetActivationDescriptor");
    }

    private static CudaBuffer b(Buffer buffer) {
        return (CudaBuffer) buffer;
    }

    private FloatPointer alpha(double v) {
        return alpha.put((float) v);
    }

    private FloatPointer beta(boolean accumulate) {
        return beta.put(accumulate ? 1f : 0f);
    }

    @Override
    public Buffer allocate(long length) {
        Pointer p = new Pointer();
        Check.cuda(cudart.cudaMalloc(p, 4 * Math.max(1, length)), "cudaMalloc of " + 4 * length + " bytes");
        Check.cuda(cudart.cudaMemsetAsync(p, 0, 4 * Math.max(1, length), device.stream), "cudaMemsetAsync");
        allocations.add(p.address());
        return new CudaBuffer(p.address(), length);
    }

    @Override
    public void free(Buffer buffer) {
        long address = b(buffer).address();
        if (allocations.remove(address)) {
            Check.cuda(cudart.cudaFree(new CudaBuffer(address, 0).pointer()), "cudaFree");
        }
    }

    private FloatPointer staging(long count) {
        device.synchronize(); // the previous transfer through the staging buffer is done
        if (count > stagingCount) {
            if (staging != null) {
                cudart.cudaFreeHost(staging);
            }
            staging = new FloatPointer();
            Check.cuda(cudart.cudaMallocHost(staging, 4 * count), "cudaMallocHost");
            staging.capacity(count);
            stagingCount = count;
        }
        return staging;
    }

    @Override
    public void upload(float[] values, Buffer target) {
        if (values.length > target.length()) {
            throw new IllegalArgumentException(values.length + " values into a buffer of " + target.length());
        }
        FloatPointer host = staging(values.length);
        host.put(values, 0, values.length);
        Check.cuda(cudart.cudaMemcpyAsync(b(target).pointer(), host, 4L * values.length, cudart.cudaMemcpyHostToDevice,
                device.stream), "cudaMemcpyAsync to the GPU");
    }

    @Override
    public float[] download(Buffer source) {
        int count = Math.toIntExact(source.length());
        FloatPointer host = staging(count);
        Check.cuda(cudart.cudaMemcpyAsync(host, b(source).pointer(), 4L * count, cudart.cudaMemcpyDeviceToHost,
                device.stream), "cudaMemcpyAsync from the GPU");
        device.synchronize();
        float[] out = new float[count];
        host.get(out, 0, count);
        return out;
    }

    @Override
    public void fill(Buffer target, float value) {
        if (value == 0) {
            Check.cuda(cudart.cudaMemsetAsync(b(target).pointer(), 0, 4 * target.length(), device.stream), "cudaMemsetAsync");
            return;
        }
        Check.cudnn(cudnnSetTensor(device.cudnnHandle, flat(target.length()), b(target).pointer(), alpha(value)), "cudnnSetTensor");
    }

    @Override
    public void scale(double factor, Buffer x, Buffer y, boolean accumulate) {
        long n = x.length();
        CudaBuffer in = b(x);
        CudaBuffer out = b(y);
        for (long from = 0; from < n; from += Integer.MAX_VALUE) {
            int count = (int) Math.min(Integer.MAX_VALUE, n - from);
            FloatPointer xs = ((CudaBuffer) in.slice(from, count)).pointer();
            FloatPointer ys = ((CudaBuffer) out.slice(from, count)).pointer();
            if (accumulate) {
                Check.cublas(cublasSaxpy_v2(device.blas, count, alpha(factor), xs, 1, ys, 1), "cublasSaxpy");
                continue;
            }
            if (in.address() != out.address()) {
                Check.cuda(cudart.cudaMemcpyAsync(ys, xs, 4L * count, cudart.cudaMemcpyDeviceToDevice, device.stream),
                        "cudaMemcpyAsync on the GPU");
            }
            if (factor != 1) {
                Check.cublas(cublasSscal_v2(device.blas, count, alpha(factor), ys, 1), "cublasSscal");
            }
        }
    }

    // ---- convolutions

    /** One convolution shape at one batch size: its descriptors and the algorithms chosen for it. */
    private record Conv(cudnnTensorStruct x, cudnnFilterStruct w, cudnnConvolutionStruct conv, cudnnTensorStruct y,
                        cudnnTensorStruct bias, int forward, long forwardBytes, int backwardData, long backwardDataBytes,
                        int backwardFilter, long backwardFilterBytes) {
    }

    private Conv conv(ConvShape s, int n) {
        return convs.computeIfAbsent(List.of(s, n), k -> {
            cudnnTensorStruct x = tensor(n, s.in());
            cudnnTensorStruct y = tensor(n, s.out());
            cudnnFilterStruct w = new cudnnFilterStruct();
            Check.cudnn(cudnnCreateFilterDescriptor(w), "cudnnCreateFilterDescriptor");
            Check.cudnn(cudnnSetFilter4dDescriptor(w, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, s.out().channels(),
                    s.in().channels(), s.kernel(), s.kernel()), "cudnnSetFilter4dDescriptor");
            cudnnConvolutionStruct c = new cudnnConvolutionStruct();
            Check.cudnn(cudnnCreateConvolutionDescriptor(c), "cudnnCreateConvolutionDescriptor");
            Check.cudnn(cudnnSetConvolution2dDescriptor(c, s.padding(), s.padding(), s.stride(), s.stride(), 1, 1,
                    CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT), "cudnnSetConvolution2dDescriptor");
            Check.cudnn(cudnnSetConvolutionMathType(c, device.tf32 ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH),
                    "cudnnSetConvolutionMathType");
            int[] on = new int[1];
            int[] oc = new int[1];
            int[] oh = new int[1];
            int[] ow = new int[1];
            Check.cudnn(cudnnGetConvolution2dForwardOutputDim(c, x, w, on, oc, oh, ow), "cudnnGetConvolution2dForwardOutputDim");
            if (oc[0] != s.out().channels() || oh[0] != s.out().height() || ow[0] != s.out().width()) {
                throw new CudaException("cuDNN computes a " + oc[0] + "x" + oh[0] + "x" + ow[0]
                        + " output for a convolution planned as " + s.out());
            }
            IntPointer found = new IntPointer(1);
            cudnnConvolutionFwdAlgoPerf_t fwd = new cudnnConvolutionFwdAlgoPerf_t(8);
            Check.cudnn(cudnnGetConvolutionForwardAlgorithm_v7(device.cudnnHandle, x, w, c, y, 8, found, fwd),
                    "cudnnGetConvolutionForwardAlgorithm_v7");
            int fAlgo = -1;
            long fBytes = 0;
            for (int i = 0; i < found.get(); i++) {
                fwd.position(i);
                if (fwd.status() == CUDNN_STATUS_SUCCESS && fwd.memory() <= WORKSPACE_LIMIT) {
                    fAlgo = fwd.algo();
                    fBytes = fwd.memory();
                    break;
                }
            }
            cudnnConvolutionBwdDataAlgoPerf_t data = new cudnnConvolutionBwdDataAlgoPerf_t(8);
            Check.cudnn(cudnnGetConvolutionBackwardDataAlgorithm_v7(device.cudnnHandle, w, y, c, x, 8, found, data),
                    "cudnnGetConvolutionBackwardDataAlgorithm_v7");
            int dAlgo = -1;
            long dBytes = 0;
            for (int i = 0; i < found.get(); i++) {
                data.position(i);
                if (data.status() == CUDNN_STATUS_SUCCESS && data.memory() <= WORKSPACE_LIMIT) {
                    dAlgo = data.algo();
                    dBytes = data.memory();
                    break;
                }
            }
            cudnnConvolutionBwdFilterAlgoPerf_t filter = new cudnnConvolutionBwdFilterAlgoPerf_t(8);
            Check.cudnn(cudnnGetConvolutionBackwardFilterAlgorithm_v7(device.cudnnHandle, x, y, c, w, 8, found, filter),
                    "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
            int wAlgo = -1;
            long wBytes = 0;
            for (int i = 0; i < found.get(); i++) {
                filter.position(i);
                if (filter.status() == CUDNN_STATUS_SUCCESS && filter.memory() <= WORKSPACE_LIMIT) {
                    wAlgo = filter.algo();
                    wBytes = filter.memory();
                    break;
                }
            }
            if (fAlgo < 0 || dAlgo < 0 || wAlgo < 0) {
                throw new CudaException("cuDNN offers no convolution algorithm for " + s + " at batch " + n);
            }
            cudnnTensorStruct bias = tensor(1, s.out().channels(), 1, 1);
            return new Conv(x, w, c, y, bias, fAlgo, fBytes, dAlgo, dBytes, wAlgo, wBytes);
        });
    }

    private Pointer workspace(long bytes) {
        if (bytes > workspaceBytes) {
            if (workspace != null) {
                device.synchronize();
                cudart.cudaFree(workspace);
            }
            workspace = new Pointer();
            Check.cuda(cudart.cudaMalloc(workspace, bytes), "cudaMalloc of a " + bytes + "-byte convolution workspace");
            workspaceBytes = bytes;
        }
        return workspace;
    }

    @Override
    public void convForward(ConvShape s, int n, Buffer x, Buffer weights, Buffer bias, Buffer y) {
        Conv c = conv(s, n);
        Check.cudnn(cudnnConvolutionForward(device.cudnnHandle, alpha(1), c.x(), b(x).pointer(), c.w(),
                b(weights).pointer(), c.conv(), c.forward(), workspace(c.forwardBytes()), c.forwardBytes(), beta(false),
                c.y(), b(y).pointer()), "cudnnConvolutionForward");
        if (bias != null) {
            Check.cudnn(cudnnAddTensor(device.cudnnHandle, alpha(1), c.bias(), b(bias).pointer(), beta(true), c.y(),
                    b(y).pointer()), "cudnnAddTensor");
        }
    }

    @Override
    public void convBackwardData(ConvShape s, int n, Buffer dy, Buffer weights, Buffer dx, boolean accumulate) {
        Conv c = conv(s, n);
        Check.cudnn(cudnnConvolutionBackwardData(device.cudnnHandle, alpha(1), c.w(), b(weights).pointer(), c.y(),
                b(dy).pointer(), c.conv(), c.backwardData(), workspace(c.backwardDataBytes()), c.backwardDataBytes(),
                beta(accumulate), c.x(), b(dx).pointer()), "cudnnConvolutionBackwardData");
    }

    @Override
    public void convBackwardParams(ConvShape s, int n, Buffer x, Buffer dy, Buffer dWeights, Buffer dBias) {
        Conv c = conv(s, n);
        Check.cudnn(cudnnConvolutionBackwardFilter(device.cudnnHandle, alpha(1), c.x(), b(x).pointer(), c.y(),
                b(dy).pointer(), c.conv(), c.backwardFilter(), workspace(c.backwardFilterBytes()),
                c.backwardFilterBytes(), beta(false), c.w(), b(dWeights).pointer()), "cudnnConvolutionBackwardFilter");
        if (dBias != null) {
            Check.cudnn(cudnnConvolutionBackwardBias(device.cudnnHandle, alpha(1), c.y(), b(dy).pointer(), beta(false),
                    c.bias(), b(dBias).pointer()), "cudnnConvolutionBackwardBias");
        }
    }

    // ---- batch norm

    @Override
    public void batchNormTraining(SampleShape s, int n, double eps, Buffer x, Buffer gamma, Buffer beta, Buffer y,
                                  Buffer savedMean, Buffer savedInvStd) {
        cudnnTensorStruct data = tensor(n, s);
        // no running statistics here: cuDNN would average the unbiased variance, DL4J the biased one
        Check.cudnn(cudnnBatchNormalizationForwardTraining(device.cudnnHandle, CUDNN_BATCHNORM_SPATIAL, alpha(1),
                beta(false), data, b(x).pointer(), data, b(y).pointer(), tensor(1, s.channels(), 1, 1),
                b(gamma).pointer(), b(beta).pointer(), 0, null, null, eps, b(savedMean).pointer(),
                b(savedInvStd).pointer()), "cudnnBatchNormalizationForwardTraining");
    }

    @Override
    public void batchNormUpdateRunning(int channels, double decay, double eps, Buffer savedMean, Buffer savedInvStd,
                                       Buffer runningMean, Buffer runningVar) {
        device.kernels.launch("bn_running", channels, channels, (float) decay, (float) eps, b(savedMean),
                b(savedInvStd), b(runningMean), b(runningVar));
    }

    @Override
    public void batchNormInference(SampleShape s, int n, double eps, Buffer x, Buffer gamma, Buffer beta, Buffer mean,
                                   Buffer variance, Buffer y) {
        cudnnTensorStruct data = tensor(n, s);
        Check.cudnn(cudnnBatchNormalizationForwardInference(device.cudnnHandle, CUDNN_BATCHNORM_SPATIAL, alpha(1),
                beta(false), data, b(x).pointer(), data, b(y).pointer(), tensor(1, s.channels(), 1, 1),
                b(gamma).pointer(), b(beta).pointer(), b(mean).pointer(), b(variance).pointer(), eps),
                "cudnnBatchNormalizationForwardInference");
    }

    @Override
    public void batchNormBackward(SampleShape s, int n, double eps, Buffer x, Buffer dy, Buffer gamma, Buffer savedMean,
                                  Buffer savedInvStd, Buffer dx, boolean accumulate, Buffer dGamma, Buffer dBeta) {
        cudnnTensorStruct data = tensor(n, s);
        FloatPointer one = new FloatPointer(1f);
        FloatPointer zero = new FloatPointer(0f);
        Check.cudnn(cudnnBatchNormalizationBackward(device.cudnnHandle, CUDNN_BATCHNORM_SPATIAL, one,
                accumulate ? one : zero, one, zero, data, b(x).pointer(), data, b(dy).pointer(), data, b(dx).pointer(),
                tensor(1, s.channels(), 1, 1), b(gamma).pointer(), b(dGamma).pointer(), b(dBeta).pointer(), eps,
                b(savedMean).pointer(), b(savedInvStd).pointer()), "cudnnBatchNormalizationBackward");
    }

    // ---- element-wise, pooling, channel copies

    @Override
    public void relu(Buffer x, Buffer y) {
        cudnnTensorStruct t = flat(x.length());
        Check.cudnn(cudnnActivationForward(device.cudnnHandle, relu, alpha(1), t, b(x).pointer(), beta(false), t,
                b(y).pointer()), "cudnnActivationForward");
    }

    @Override
    public void reluBackward(Buffer y, Buffer dy, Buffer dx, boolean accumulate) {
        cudnnTensorStruct t = flat(y.length());
        // for ReLU the input's sign is the output's: y stands in for x
        Check.cudnn(cudnnActivationBackward(device.cudnnHandle, relu, alpha(1), t, b(y).pointer(), t, b(dy).pointer(), t,
                b(y).pointer(), beta(accumulate), t, b(dx).pointer()), "cudnnActivationBackward");
    }

    private cudnnPoolingStruct pooling(PoolShape s) {
        return pools.computeIfAbsent(s, k -> {
            cudnnPoolingStruct p = new cudnnPoolingStruct();
            Check.cudnn(cudnnCreatePoolingDescriptor(p), "cudnnCreatePoolingDescriptor");
            int mode = s.max() ? CUDNN_POOLING_MAX_DETERMINISTIC : s.countPadding()
                    ? CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING : CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING;
            Check.cudnn(cudnnSetPooling2dDescriptor(p, mode, CUDNN_PROPAGATE_NAN, s.kernelH(), s.kernelW(), s.padding(),
                    s.padding(), s.stride(), s.stride()), "cudnnSetPooling2dDescriptor");
            return p;
        });
    }

    @Override
    public void pool(PoolShape s, int n, Buffer x, Buffer y) {
        Check.cudnn(cudnnPoolingForward(device.cudnnHandle, pooling(s), alpha(1), tensor(n, s.in()), b(x).pointer(),
                beta(false), tensor(n, s.out()), b(y).pointer()), "cudnnPoolingForward");
    }

    @Override
    public void poolBackward(PoolShape s, int n, Buffer x, Buffer y, Buffer dy, Buffer dx, boolean accumulate) {
        cudnnTensorStruct in = tensor(n, s.in());
        cudnnTensorStruct out = tensor(n, s.out());
        Check.cudnn(cudnnPoolingBackward(device.cudnnHandle, pooling(s), alpha(1), out, b(y).pointer(), out,
                b(dy).pointer(), in, b(x).pointer(), beta(accumulate), in, b(dx).pointer()), "cudnnPoolingBackward");
    }

    @Override
    public void copyChannels(int n, int plane, Buffer src, int srcChannels, int srcFrom, Buffer dst, int dstChannels,
                             int dstFrom, int channels, boolean accumulate) {
        cudnnTensorStruct from = tensor(n, channels, 1, plane, (long) srcChannels * plane, plane, plane, 1);
        cudnnTensorStruct to = tensor(n, channels, 1, plane, (long) dstChannels * plane, plane, plane, 1);
        Check.cudnn(cudnnTransformTensor(device.cudnnHandle, alpha(1), from,
                new CudaBuffer(b(src).address() + 4L * srcFrom * plane, 0).pointer(), beta(accumulate), to,
                new CudaBuffer(b(dst).address() + 4L * dstFrom * plane, 0).pointer()), "cudnnTransformTensor");
    }

    // ---- dense layers and the classifier (row-major n x features; cuBLAS sees the transposes, column-major)

    @Override
    public void dense(int n, int in, int out, Buffer x, Buffer weights, Buffer bias, Buffer y) {
        Check.cublas(cublasSgemm_v2(device.blas, CUBLAS_OP_N, CUBLAS_OP_N, out, n, in, alpha(1), b(weights).pointer(), out,
                b(x).pointer(), in, beta(false), b(y).pointer(), out), "cublasSgemm");
        Check.cudnn(cudnnAddTensor(device.cudnnHandle, alpha(1), tensor(1, out, 1, 1), b(bias).pointer(), beta(true),
                tensor(n, out, 1, 1), b(y).pointer()), "cudnnAddTensor");
    }

    @Override
    public void denseBackward(int n, int in, int out, Buffer x, Buffer weights, Buffer dy, Buffer dx, boolean accumulate,
                              Buffer dWeights, Buffer dBias) {
        Check.cublas(cublasSgemm_v2(device.blas, CUBLAS_OP_N, CUBLAS_OP_T, out, in, n, alpha(1), b(dy).pointer(), out,
                b(x).pointer(), in, beta(false), b(dWeights).pointer(), out), "cublasSgemm (weight gradient)");
        Check.cudnn(cudnnConvolutionBackwardBias(device.cudnnHandle, alpha(1), tensor(n, out, 1, 1), b(dy).pointer(),
                beta(false), tensor(1, out, 1, 1), b(dBias).pointer()), "cudnnConvolutionBackwardBias");
        if (dx != null) {
            Check.cublas(cublasSgemm_v2(device.blas, CUBLAS_OP_T, CUBLAS_OP_N, in, n, out, alpha(1), b(weights).pointer(),
                    out, b(dy).pointer(), out, beta(accumulate), b(dx).pointer(), in), "cublasSgemm (input gradient)");
        }
    }

    @Override
    public void softmax(int n, int classes, Buffer logits, Buffer probabilities) {
        cudnnTensorStruct t = tensor(n, classes, 1, 1);
        Check.cudnn(cudnnSoftmaxForward(device.cudnnHandle, CUDNN_SOFTMAX_ACCURATE, CUDNN_SOFTMAX_MODE_INSTANCE, alpha(1), t,
                b(logits).pointer(), beta(false), t, b(probabilities).pointer()), "cudnnSoftmaxForward");
    }

    @Override
    public double softmaxCrossEntropy(int n, int classes, Buffer logits, Buffer labels, Buffer probabilities,
                                      Buffer dLogits) {
        Buffer losses = scratchLosses(n);
        device.kernels.launch("softmax_xent", n, n, classes, b(logits), b(labels), b(probabilities), b(dLogits), b(losses));
        double sum = 0;
        for (float v : download(losses)) {
            sum += v;
        }
        return sum;
    }

    private CudaBuffer lossScratch;

    private Buffer scratchLosses(int n) {
        if (lossScratch == null || lossScratch.length() < n) {
            if (lossScratch != null) {
                free(lossScratch);
            }
            lossScratch = (CudaBuffer) allocate(n);
        }
        return lossScratch.slice(0, n);
    }

    @Override
    public void dropout(double retain, Buffer x, Buffer y, Buffer mask) {
        dropoutDraws += x.length();
        device.kernels.launch("dropout", x.length(), x.length(), (float) retain, dropoutDraws, b(x), b(y), b(mask));
    }

    @Override
    public void dropoutBackward(Buffer dy, Buffer mask, Buffer dx, boolean accumulate) {
        device.kernels.launch("dropout_backward", dy.length(), dy.length(), b(dy), b(mask), b(dx), accumulate ? 1 : 0);
    }

    @Override
    public double sumOfSquares(Buffer x) {
        double sum = 0;
        for (long from = 0; from < x.length(); from += Integer.MAX_VALUE) {
            int count = (int) Math.min(Integer.MAX_VALUE, x.length() - from);
            Check.cublas(cublasSnrm2_v2(device.exactBlas, count, ((CudaBuffer) x.slice(from, count)).pointer(), 1, result),
                    "cublasSnrm2");
            double norm = result.get();
            sum += norm * norm;
        }
        return sum;
    }

    @Override
    public double[] gram(int n, int stride, int offset, int width, Buffer rows) {
        if (gramScratch == null || gramScratch.length() < (long) n * width + width + (long) n * n) {
            if (gramScratch != null) {
                free(gramScratch);
            }
            gramScratch = (CudaBuffer) allocate((long) n * width + width + (long) n * n);
        }
        if (ones == null || ones.length() < n) {
            if (ones != null) {
                free(ones);
            }
            ones = (CudaBuffer) allocate(n);
            fill(ones, 1);
        }
        CudaBuffer block = (CudaBuffer) gramScratch.slice(0, (long) n * width);
        CudaBuffer first = (CudaBuffer) gramScratch.slice((long) n * width, width);
        CudaBuffer gram = (CudaBuffer) gramScratch.slice((long) n * width + width, (long) n * n);
        CudaBuffer columns = (CudaBuffer) rows.slice(offset, rows.length() - offset);
        // the block, column-major width x n (one sample per column), copied out of the n x stride rows
        Check.cublas(cublasSgeam(device.exactBlas, CUBLAS_OP_N, CUBLAS_OP_N, width, n, alpha(1), columns.pointer(), stride,
                beta(false), block.pointer(), width, block.pointer(), width), "cublasSgeam");
        Check.cuda(cudart.cudaMemcpyAsync(first.pointer(), block.pointer(), 4L * width, cudart.cudaMemcpyDeviceToDevice,
                device.stream), "cudaMemcpyAsync");
        // every sample minus the first, then the Gram matrix of the samples
        Check.cublas(cublasSger_v2(device.exactBlas, width, n, alpha(-1), first.pointer(), 1, ones.pointer(), 1,
                block.pointer(), width), "cublasSger");
        Check.cublas(cublasSsyrk_v2(device.exactBlas, CUBLAS_FILL_MODE_UPPER, CUBLAS_OP_T, n, width, alpha(1),
                block.pointer(), width, beta(false), gram.pointer(), n), "cublasSsyrk");
        float[] upper = download(gram);
        double[] out = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i <= j; i++) {
                double v = upper[i + j * n]; // column-major, upper triangle
                out[i * n + j] = v;
                out[j * n + i] = v;
            }
        }
        return out;
    }

    // ---- descriptors

    private cudnnTensorStruct tensor(int n, SampleShape s) {
        return tensor(n, s.channels(), s.height(), s.width());
    }

    private cudnnTensorStruct tensor(int n, int c, int h, int w) {
        return tensor(n, c, h, w, (long) c * h * w, (long) h * w, w, 1);
    }

    /** A length-{@code count} vector as a 4-D tensor, for element-wise calls. */
    private cudnnTensorStruct flat(long count) {
        return tensor(1, 1, 1, Math.toIntExact(count));
    }

    private cudnnTensorStruct tensor(int n, int c, int h, int w, long ns, long cs, long hs, long ws) {
        return tensors.computeIfAbsent(List.of((long) n, (long) c, (long) h, (long) w, ns, cs, hs, ws), k -> {
            cudnnTensorStruct t = new cudnnTensorStruct();
            Check.cudnn(cudnnCreateTensorDescriptor(t), "cudnnCreateTensorDescriptor");
            Check.cudnn(cudnnSetTensor4dDescriptorEx(t, CUDNN_DATA_FLOAT, n, c, h, w, Math.toIntExact(ns),
                    Math.toIntExact(cs), Math.toIntExact(hs), Math.toIntExact(ws)), "cudnnSetTensor4dDescriptorEx");
            return t;
        });
    }

    @Override
    public void synchronize() {
        device.synchronize();
    }

    @Override
    public String describe() {
        return device.describe();
    }

    @Override
    public void close() {
        device.synchronize();
        for (long address : new ArrayList<>(allocations)) {
            cudart.cudaFree(new CudaBuffer(address, 0).pointer());
        }
        allocations.clear();
        if (workspace != null) {
            cudart.cudaFree(workspace);
        }
        if (staging != null) {
            cudart.cudaFreeHost(staging);
        }
        tensors.values().forEach(t -> cudnnDestroyTensorDescriptor(t));
        pools.values().forEach(p -> cudnnDestroyPoolingDescriptor(p));
        for (Conv c : convs.values()) {
            cudnnDestroyFilterDescriptor(c.w());
            cudnnDestroyConvolutionDescriptor(c.conv());
        }
        cudnnDestroyActivationDescriptor(relu);
        device.close();
    }
}
