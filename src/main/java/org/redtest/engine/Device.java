package org.redtest.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.redtest.Choice;

/**
 * Where (and with which code) networks execute. Chosen once per process, from {@code --device}, the
 * experiment file's {@code device:} or {@code -Dredtest.device}; see {@link Engines}.
 */
public enum Device implements Choice {
    /** The CPU through our oneDNN fast path (DL4J's own layers where oneDNN is not there). The default. */
    CPU,
    /** An NVIDIA GPU through our cuDNN/cuBLAS engine (CUDA 13 drivers, Turing or newer). */
    CUDA,
    /** DL4J's own layer code on the CPU, unchanged: the reference the other engines are checked against. */
    DL4J;

    @JsonCreator
    public static Device parse(String word) {
        return Choice.parse(Device.class, word, "device");
    }

    @Override
    public String toString() {
        return word();
    }
}
