package org.redtest.engine;

/**
 * Makes the engine of one {@link Device}. Engines are found with {@link java.util.ServiceLoader} (listed
 * in {@code META-INF/services}), so that this package knows none of them.
 */
public interface EngineProvider {
    Device device();

    /**
     * The engine, ready to run; a clear {@link org.redtest.RedTestException} when this machine cannot run it
     * (no GPU, no driver, missing libraries).
     */
    ExecutionEngine open();
}
