package org.redtest.engine;

import org.redtest.RedTestException;

import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The process's engine, chosen once: by {@link #use} (the CLI's {@code --device}, an experiment's
 * {@code device:}), else by {@code -Dredtest.device}, else the CPU. Each engine is opened once and kept.
 */
public final class Engines {
    public static final String PROPERTY = "redtest.device";
    private static final Map<Device, ExecutionEngine> OPENED = new EnumMap<>(Device.class);
    private static Device chosen;
    /** True once {@link #use} chose (the command line); an experiment file's choice then gives way. */
    private static boolean explicit;

    private Engines() {
    }

    /** Chooses the engine every later {@link #current()} returns, opening it now (so a missing GPU is told at once). */
    public static synchronized ExecutionEngine use(Device device) {
        ExecutionEngine engine = of(device);
        chosen = device;
        explicit = true;
        return engine;
    }

    /** Forgets the choice, back to {@code -Dredtest.device} or the CPU (tests; a host that runs several commands). */
    public static synchronized void clearChoice() {
        chosen = null;
        explicit = false;
    }

    /** Chooses as {@link #use} does without opening the engine (the doctor reports why it cannot open). */
    public static synchronized void choose(Device device) {
        chosen = device;
        explicit = true;
    }

    /**
     * An experiment file's {@code device:}: chosen as {@link #use} does unless the command line chose already;
     * null leaves the choice as it is.
     */
    public static synchronized void preferFromSettings(Device device) {
        if (device != null && !explicit) {
            of(device);
            chosen = device;
        }
    }

    public static synchronized ExecutionEngine current() {
        return of(chosen());
    }

    /** The device {@link #current()} runs on, without opening its engine (for reports of what was asked for). */
    public static synchronized Device chosen() {
        if (chosen == null) {
            chosen = Device.parse(System.getProperty(PROPERTY, Device.CPU.word()));
        }
        return chosen;
    }

    /** The engine of {@code device}, whatever the process's choice (for comparisons: benchmarks, tests, doctor). */
    public static synchronized ExecutionEngine of(Device device) {
        ExecutionEngine engine = OPENED.get(device);
        if (engine == null) {
            engine = provider(device).open();
            OPENED.put(device, engine);
        }
        return engine;
    }

    private static EngineProvider provider(Device device) {
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader())) {
            if (p.device() == device) {
                return p;
            }
        }
        throw new RedTestException("this build has no engine for device '" + device + "'");
    }
}
