package org.redtest.engine.cuda;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.redtest.engine.DeviceUnavailableException;

/**
 * The GPU the engine runs on (device 0): its libraries loaded, one stream, a cuDNN handle and two cuBLAS
 * handles on it (one that may use TF32 tensor cores, one that never does, for sums that must stay exact),
 * and the engine's own compiled kernels. Opening it is where a machine without a usable GPU says so.
 */
final class CudaDevice implements AutoCloseable {
    final CUstream_st stream = new CUstream_st();
    final cudnnContext cudnnHandle = new cudnnContext();
    final cublasContext blas = new cublasContext();
    final cublasContext exactBlas = new cublasContext();
    final DeviceKernels kernels;
    final boolean tf32;
    private static String loadFailure;
    private final String name;
    private final int major;
    private final int minor;
    private final long memory;

    /** {@code tf32}: whether convolutions and matrix products may use TF32 tensor cores (faster, 10-bit mantissa). */
    CudaDevice(boolean tf32) {
        this.tf32 = tf32;
        loadLibraries();
        IntPointer count = new IntPointer(1);
        int status = cudart.cudaGetDeviceCount(count);
        if (status != cudart.cudaSuccess || count.get() == 0) {
            throw new DeviceUnavailableException("no CUDA GPU found (" + (status != cudart.cudaSuccess
                    ? cudart.cudaGetErrorString(status).getString() : "0 devices") + ")");
        }
        Check.cuda(cudart.cudaSetDevice(0), "cudaSetDevice");
        Check.cuda(cudart.cudaFree((Pointer) null), "cudaFree (context creation)");
        cudaDeviceProp prop = new cudaDeviceProp();
        Check.cuda(cudart.cudaGetDeviceProperties(prop, 0), "cudaGetDeviceProperties");
        name = prop.name().getString();
        major = prop.major();
        minor = prop.minor();
        memory = prop.totalGlobalMem();
        if (major < 7 || major == 7 && minor < 5) {
            throw new DeviceUnavailableException("GPU " + name + " (compute capability " + major + "." + minor
                    + ") is older than Turing (7.5), the oldest CUDA 13 supports");
        }
        Check.cuda(cudart.cudaStreamCreate(stream), "cudaStreamCreate");
        Check.cudnn(cudnn.cudnnCreate(cudnnHandle), "cudnnCreate");
        Check.cudnn(cudnn.cudnnSetStream(cudnnHandle, stream), "cudnnSetStream");
        for (cublasContext h : new cublasContext[]{blas, exactBlas}) {
            Check.cublas(cublas.cublasCreate_v2(h), "cublasCreate");
            Check.cublas(cublas.cublasSetStream_v2(h, stream), "cublasSetStream");
        }
        Check.cublas(cublas.cublasSetMathMode(blas, tf32 ? cublas.CUBLAS_TF32_TENSOR_OP_MATH : cublas.CUBLAS_PEDANTIC_MATH),
                "cublasSetMathMode");
        Check.cublas(cublas.cublasSetMathMode(exactBlas, cublas.CUBLAS_PEDANTIC_MATH), "cublasSetMathMode");
        kernels = new DeviceKernels(major, minor, stream);
    }

    /**
     * Loads the CUDA libraries once per process. A failed load is remembered: the JVM leaves the binding classes
     * unusable after their first failed initialisation, and every later attempt must say the same thing.
     */
    private static synchronized void loadLibraries() {
        if (loadFailure != null) {
            throw new DeviceUnavailableException(loadFailure);
        }
        try {
            Loader.load(cudart.class);
            Loader.load(cublas.class);
            Loader.load(cudnn.class);
            Loader.load(nvrtc.class);
        } catch (LinkageError e) {
            loadFailure = "no GPU engine here: " + missingLibrary(e) + " (it needs the NVIDIA driver's libcuda.so.1 and "
                    + "the CUDA 13 libraries libcudart.so.13, libcublas.so.13, libcudnn*.so.9 and libnvrtc.so.13 on "
                    + "LD_LIBRARY_PATH)";
            throw new DeviceUnavailableException(loadFailure, e);
        }
    }

    void synchronize() {
        Check.cuda(cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }

    String describe() {
        int[] runtime = new int[1];
        int[] driver = new int[1];
        cudart.cudaRuntimeGetVersion(runtime);
        cudart.cudaDriverGetVersion(driver);
        return String.format("%s (compute capability %d.%d, %.1f GiB), driver CUDA %s, runtime %s, cuDNN %d, %s", name,
                major, minor, memory / (double) (1L << 30), version(driver[0]), version(runtime[0]), cudnn.cudnnGetVersion(),
                tf32 ? "TF32 allowed" : "exact FP32");
    }

    /** What the doctor reports of the GPU: name, compute capability, memory and library versions. */
    java.util.Map<String, Object> facts() {
        int[] runtime = new int[1];
        int[] driver = new int[1];
        cudart.cudaRuntimeGetVersion(runtime);
        cudart.cudaDriverGetVersion(driver);
        java.util.Map<String, Object> facts = new java.util.LinkedHashMap<>();
        facts.put("name", name);
        facts.put("compute_capability", major + "." + minor);
        facts.put("memory_gib", Math.round(memory / (double) (1L << 30) * 10) / 10.0);
        facts.put("driver_cuda", version(driver[0]));
        facts.put("runtime_cuda", version(runtime[0]));
        facts.put("cudnn", cudnnVersion(cudnn.cudnnGetVersion()));
        facts.put("cublas", cublasVersion());
        facts.put("tf32", tf32);
        return facts;
    }

    private String cublasVersion() {
        int[] v = new int[1];
        return cublas.cublasGetVersion_v2(blas, v) == cublas.CUBLAS_STATUS_SUCCESS
                ? v[0] / 10000 + "." + v[0] / 100 % 100 + "." + v[0] % 100 : "unknown";
    }

    /** cuDNN 9 numbers its versions major * 10000 + minor * 100 + patch. */
    private static String cudnnVersion(long v) {
        return v / 10000 + "." + v / 100 % 100 + "." + v % 100;
    }

    private static String version(int v) {
        return v / 1000 + "." + v % 1000 / 10;
    }

    /** The library the dynamic linker could not find, from the innermost error that names one. */
    static String missingLibrary(Throwable e) {
        String found = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            java.util.regex.Matcher lib = java.util.regex.Pattern.compile("([\\w.+-]+\\.so[\\w.]*): cannot open shared object file")
                    .matcher(m);
            if (lib.find()) {
                found = lib.group(1) + " not found";
            }
        }
        return found != null ? found : "the CUDA libraries could not be loaded ("
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("")) + ")";
    }

    @Override
    public void close() {
        kernels.close();
        cublas.cublasDestroy_v2(blas);
        cublas.cublasDestroy_v2(exactBlas);
        cudnn.cudnnDestroy(cudnnHandle);
        cudart.cudaStreamDestroy(stream);
    }
}
