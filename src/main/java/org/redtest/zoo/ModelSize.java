package org.redtest.zoo;

import org.redtest.RedTestException;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What a network needs before any of it is built, in 64-bit arithmetic: its parameter count (DL4J keeps all
 * parameters in one array, indexed by int, so more than 2^31 - 1 wrap around) and a lower estimate of the memory
 * training takes. A model that cannot fit is refused with the numbers, instead of failing after minutes with a
 * wrapped count or std::bad_alloc.
 */
public final class ModelSize {
    /** Parameters, their gradients and momentum, and the checkpoint's copy: four floats per parameter. */
    static final long BYTES_PER_PARAMETER = 4L * Float.BYTES;
    /** Each activation is kept for the backward pass, which writes a gradient of the same size: two floats. */
    static final long BYTES_PER_ACTIVATION = 2L * Float.BYTES;
    static final long MAX_PARAMETERS = Integer.MAX_VALUE;

    private ModelSize() {
    }

    /** Activation values one image produces (every live node's output), summed in 64 bits. */
    public static long activationsPerImage(NetworkBlueprint blueprint) {
        long sum = 0;
        for (Node n : blueprint.liveNodes()) {
            sum = Math.addExact(sum, n.output().size());
        }
        return sum;
    }

    /** A lower estimate of the bytes training {@code blueprint} at {@code batchSize} takes. */
    public static long trainingBytes(NetworkBlueprint blueprint, int batchSize) {
        long params = Dl4jGraphFactory.expectedParameterCount(blueprint);
        return Math.addExact(Math.multiplyExact(params, BYTES_PER_PARAMETER),
                Math.multiplyExact(Math.multiplyExact(activationsPerImage(blueprint), (long) batchSize), BYTES_PER_ACTIVATION));
    }

    /** Refuses a network that DL4J cannot hold, or whose training needs more memory than {@code availableBytes}. */
    public static void requireFits(NetworkBlueprint blueprint, int batchSize, long availableBytes) {
        long params = Dl4jGraphFactory.expectedParameterCount(blueprint);
        if (params > MAX_PARAMETERS) {
            throw new RedTestException(String.format(Locale.ROOT, "%s has %,d parameters; at most %,d fit in one network "
                    + "(DL4J indexes them with an int): choose a smaller model", blueprint.spec(), params, MAX_PARAMETERS));
        }
        long needed;
        try {
            needed = trainingBytes(blueprint, batchSize);
        } catch (ArithmeticException overflow) {
            needed = Long.MAX_VALUE; // beyond 8 EiB: no machine has it
        }
        if (needed > availableBytes) {
            throw new RedTestException(String.format(Locale.ROOT, "%s needs at least %s to train at batch size %d (%,d "
                            + "parameters, %,d activations per image) but this machine has %s of memory: choose a smaller "
                            + "model or batch size", blueprint.spec(), gib(needed), batchSize, params,
                    activationsPerImage(blueprint), gib(availableBytes)));
        }
    }

    /** As above, against this machine's physical memory. */
    public static void requireFits(NetworkBlueprint blueprint, int batchSize) {
        requireFits(blueprint, batchSize, physicalMemory());
    }

    static long physicalMemory() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : Long.MAX_VALUE;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
