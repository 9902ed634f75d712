package org.nd4j.nativeblas;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1's oneDNN check.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN()} by reflection. ND4J 1.0.0-M2.1 moved
 * that class to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and renamed the
 * method to {@code isUseONEDNN()}, so the lookup fails and DL4J silently never uses its oneDNN
 * layer helpers (about 10x slower convolutions on CPU). This class restores the old name and
 * delegates to the live method. See {@link org.redtest.engine.cpu.CpuAcceleration}.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Reflection keeps this class compilable without nd4j-native (the CUDA build). */
        public boolean isUseMKLDNN() {
            try {
                Class<?> live = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Object environment = live.getMethod("getInstance").invoke(null);
                return (Boolean) live.getMethod("isUseONEDNN").invoke(environment);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
