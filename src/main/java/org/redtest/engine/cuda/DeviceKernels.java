package org.redtest.engine.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.HashMap;
import java.util.Map;

import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cuModuleUnload;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCompileProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCreateProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcDestroyProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBIN;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBINSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLog;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLogSize;

/**
 * The few kernels no CUDA library call covers, compiled with NVRTC once per process for the device's
 * architecture (machine code, so the driver never has to translate PTX): the batch-norm running statistics
 * as DL4J keeps them (biased batch variance; cuDNN's own update uses the unbiased one), the softmax
 * cross-entropy with DL4J's clipping and its gradient in one pass, and dropout with one mask value per input.
 */
final class DeviceKernels implements AutoCloseable {
    static final String SOURCE = """
            __device__ unsigned long long mix(unsigned long long z) {
                z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
                z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
                return z ^ (z >> 31);
            }

            extern "C" __global__ void bn_running(int c, float decay, float eps, const float* mean,
                                                  const float* invStd, float* runningMean, float* runningVar) {
                int i = blockIdx.x * blockDim.x + threadIdx.x;
                if (i < c) {
                    float s = invStd[i];
                    float variance = 1.0f / (s * s) - eps;
                    runningMean[i] = decay * runningMean[i] + (1.0f - decay) * mean[i];
                    runningVar[i] = decay * runningVar[i] + (1.0f - decay) * variance;
                }
            }

            extern "C" __global__ void softmax_xent(int n, int k, const float* z, const float* y, float* p,
                                                    float* dz, float* loss) {
                int i = blockIdx.x * blockDim.x + threadIdx.x;
                if (i >= n) {
                    return;
                }
                const float* zi = z + (long long) i * k;
                const float* yi = y + (long long) i * k;
                float m = -3.0e38f;
                for (int c = 0; c < k; c++) {
                    m = fmaxf(m, zi[c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += exp((double) (zi[c] - m));
                }
                double l = 0;
                for (int c = 0; c < k; c++) {
                    double pc = exp((double) (zi[c] - m)) / sum;
                    p[(long long) i * k + c] = (float) pc;
                    double clipped = fmin(fmax(pc, 1e-10), 1.0 - 1e-10);
                    l -= yi[c] * log(clipped);
                    dz[(long long) i * k + c] = (float) ((pc - yi[c]) / n);
                }
                loss[i] = (float) l;
            }

            extern "C" __global__ void dropout(long long count, float retain, unsigned long long seed,
                                               const float* x, float* y, float* mask) {
                long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x;
                if (i < count) {
                    float u = (float) (mix(seed + (unsigned long long) i) >> 40) * (1.0f / 16777216.0f);
                    float m = u < retain ? 1.0f / retain : 0.0f;
                    mask[i] = m;
                    y[i] = x[i] * m;
                }
            }

            extern "C" __global__ void dropout_backward(long long count, const float* dy, const float* mask,
                                                        float* dx, int accumulate) {
                long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x;
                if (i < count) {
                    dx[i] = (accumulate ? dx[i] : 0.0f) + dy[i] * mask[i];
                }
            }
            """;
    private static final int THREADS = 256;

    private final CUmod_st module = new CUmod_st();
    private final Map<String, CUfunc_st> functions = new HashMap<>();
    private final CUstream_st stream;

    DeviceKernels(int major, int minor, CUstream_st stream) {
        this.stream = stream;
        _nvrtcProgram program = new _nvrtcProgram();
        Check.nvrtc(nvrtcCreateProgram(program, new BytePointer(SOURCE), new BytePointer("redtest.cu"), 0,
                (PointerPointer) null, (PointerPointer) null), "nvrtcCreateProgram");
        try {
            String arch = "--gpu-architecture=sm_" + major + minor;
            PointerPointer options = new PointerPointer(new BytePointer(arch), new BytePointer("--std=c++14"));
            int status = nvrtcCompileProgram(program, 2, options);
            if (status != org.bytedeco.cuda.global.nvrtc.NVRTC_SUCCESS) {
                SizeTPointer size = new SizeTPointer(1);
                nvrtcGetProgramLogSize(program, size);
                BytePointer log = new BytePointer(size.get());
                nvrtcGetProgramLog(program, log);
                throw new CudaException("NVRTC could not compile RedTest's kernels for " + arch + ": " + log.getString());
            }
            SizeTPointer size = new SizeTPointer(1);
            Check.nvrtc(nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize");
            BytePointer cubin = new BytePointer(size.get());
            Check.nvrtc(nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN");
            Check.driver(cuModuleLoadData(module, cubin), "cuModuleLoadData");
        } finally {
            nvrtcDestroyProgram(program);
        }
        for (String name : new String[]{"bn_running", "softmax_xent", "dropout", "dropout_backward"}) {
            CUfunc_st f = new CUfunc_st();
            Check.driver(cuModuleGetFunction(f, module, name), "cuModuleGetFunction " + name);
            functions.put(name, f);
        }
    }

    /** Launches {@code name} over {@code count} threads with these arguments (Integer, Long, Float or a device address). */
    void launch(String name, long count, Object... args) {
        Pointer[] values = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Integer v) {
                values[i] = new IntPointer(1).put(v);
            } else if (a instanceof Float v) {
                values[i] = new FloatPointer(1).put(v);
            } else if (a instanceof Long v) {
                values[i] = new LongPointer(1).put(v);
            } else if (a instanceof CudaBuffer b) {
                values[i] = new LongPointer(1).put(b.address());
            } else {
                throw new IllegalArgumentException("kernel argument " + a);
            }
        }
        int blocks = (int) Math.max(1, (count + THREADS - 1) / THREADS);
        Check.driver(cuLaunchKernel(functions.get(name), blocks, 1, 1, THREADS, 1, 1, 0, stream,
                new PointerPointer(values), null), "cuLaunchKernel " + name);
    }

    @Override
    public void close() {
        cuModuleUnload(module);
    }
}
