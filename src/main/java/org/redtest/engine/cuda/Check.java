package org.redtest.engine.cuda;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.BytePointer;

/** Turns the status codes of the CUDA libraries into exceptions that name the call and the library's error. */
final class Check {
    private Check() {
    }

    static void cuda(int status, String call) {
        if (status != cudart.cudaSuccess) {
            throw new CudaException(call + " failed: " + cudart.cudaGetErrorString(status).getString() + " (" + status + ")");
        }
    }

    static void driver(int status, String call) {
        if (status != cudart.CUDA_SUCCESS) {
            BytePointer text = new BytePointer((org.bytedeco.javacpp.Pointer) null);
            cudart.cuGetErrorString(status, text);
            throw new CudaException(call + " failed: " + (text.isNull() ? "error " : text.getString() + " (") + status
                    + (text.isNull() ? "" : ")"));
        }
    }

    static void cudnn(int status, String call) {
        if (status != org.bytedeco.cuda.global.cudnn.CUDNN_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: " + cudnn.cudnnGetErrorString(status).getString());
        }
    }

    static void cublas(int status, String call) {
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: cuBLAS status " + status);
        }
    }

    static void nvrtc(int status, String call) {
        if (status != nvrtc.NVRTC_SUCCESS) {
            throw new CudaException(call + " failed: " + nvrtc.nvrtcGetErrorString(status).getString());
        }
    }
}
