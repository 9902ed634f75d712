package org.redtest.engine.cpu;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Switches on DL4J's oneDNN layer helpers, which stock DL4J 1.0.0-M2.1 leaves off on CPU.
 *
 * <p>Three things are needed and all three are done here or in the build:
 * <ol>
 *   <li>the oneDNN build of libnd4jcpu ({@code nd4j-native:linux-x86_64-onednn} in the pom),
 *       selected through JavaCPP's platform extension property;</li>
 *   <li>{@code org.eclipse.deeplearning4j.helpers.disable=false} (DL4J's default is {@code true});</li>
 *   <li>the shim {@link org.nd4j.nativeblas.Nd4jCpu} that repairs DL4J's reflective oneDNN check.</li>
 * </ol>
 * {@link #configure()} must run before ND4J is first touched; {@link #status()} reports the outcome.
 */
public final class CpuAcceleration {
    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    public static final String JAVACPP_EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    /**
     * JavaCPP's limit on the process's resident memory. While it is positive, every native allocation
     * (each new ND4J array allocates its shape buffer) reads the process's resident size under a global
     * lock: about 2% of a ResNet-20 training step on the CPU. JavaCPP's own byte count
     * ({@code maxBytes}, the heap size) still bounds what it allocates.
     */
    public static final String JAVACPP_PHYSICAL_LIMIT_PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";

    private CpuAcceleration() {
    }

    /**
     * Sets the system properties for the accelerated native build on the class path. The oneDNN CPU
     * build: {@code -onednn} natives and DL4J's layer helpers switched on. The CUDA build: the cuDNN
     * natives ({@code -cudnn}), whose libnd4j runs convolutions, pooling and batch norm through
     * cuDNN by itself; DL4J's layer helpers stay off there, since DL4J 1.0.0-M2.1 publishes no cuDNN
     * helper classes for CUDA 11.6 and would only warn about each missing one. A value the user set
     * explicitly (-D...) is left alone.
     */
    public static void configure() {
        boolean oneDnn = onClasspath(ONEDNN_NATIVES);
        String extension = oneDnn ? "-onednn" : onClasspath(CUDNN_NATIVES) ? "-cudnn" : null;
        if (extension == null) {
            return;
        }
        if (oneDnn && System.getProperty(HELPERS_DISABLE_PROPERTY) == null) {
            System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
        }
        if (oneDnn && System.getProperty(JAVACPP_PHYSICAL_LIMIT_PROPERTY) == null) {
            System.setProperty(JAVACPP_PHYSICAL_LIMIT_PROPERTY, "0"); // read when JavaCPP's Pointer class loads
        }
        if (System.getProperty(JAVACPP_EXTENSION_PROPERTY) == null) {
            System.setProperty(JAVACPP_EXTENSION_PROPERTY, extension);
        }
    }

    private static final String ONEDNN_NATIVES = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/libjnind4jcpu.so";
    private static final String CUDNN_NATIVES = "org/nd4j/linalg/jcublas/bindings/linux-x86_64-cudnn/libjnind4jcuda.so";

    private static boolean onClasspath(String resource) {
        return CpuAcceleration.class.getClassLoader().getResource(resource) != null;
    }

    /** True when JavaCPP checks the resident memory on each native allocation (see {@link #JAVACPP_PHYSICAL_LIMIT_PROPERTY}). */
    public static boolean checksResidentMemory() {
        return org.bytedeco.javacpp.Pointer.maxPhysicalBytes() > 0;
    }

    /** What the running process actually uses. */
    public record Status(String backend, boolean helpersAllowed, boolean oneDnnHelpersActive, int threads) {
        public String describe() {
            if (!"CPU".equalsIgnoreCase(backend)) {
                return "ND4J backend " + backend + " (oneDNN helpers apply to the CPU backend only)";
            }
            return oneDnnHelpersActive
                    ? "oneDNN layer helpers ACTIVE (ND4J CPU backend, " + threads + " threads)"
                    : "oneDNN layer helpers INACTIVE (helpers " + (helpersAllowed ? "allowed" : "disabled by -D"
                    + HELPERS_DISABLE_PROPERTY + "=true") + "): CPU training will be about 10x slower";
        }
    }

    public static Status status() {
        configure();
        String backend = String.valueOf(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
        boolean allowed = !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE_PROPERTY, "true"));
        boolean active = allowed && "CPU".equalsIgnoreCase(backend) && BaseMKLDNNHelper.mklDnnEnabled();
        int threads = Nd4j.getEnvironment().maxThreads();
        return new Status(backend, allowed, active, threads);
    }
}
