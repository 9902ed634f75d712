package org.redtest.engine;

import org.redtest.RedTestException;

/**
 * The device asked for cannot run here (no GPU, a missing CUDA library, a GPU too old). Its own type so the
 * CLI can end with its own exit code: scripts on a GPU node tell "no GPU" from a failed run.
 */
public class DeviceUnavailableException extends RedTestException {
    public DeviceUnavailableException(String message) {
        super(message);
    }

    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
