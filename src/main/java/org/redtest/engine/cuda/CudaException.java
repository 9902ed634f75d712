package org.redtest.engine.cuda;

import org.redtest.RedTestException;

/** A CUDA, cuDNN, cuBLAS or NVRTC call that failed, named with the library's own error text. */
public final class CudaException extends RedTestException {
    public CudaException(String message) {
        super(message);
    }

    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}
