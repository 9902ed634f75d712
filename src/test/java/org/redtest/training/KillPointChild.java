package org.redtest.training;

import org.redtest.config.ConfigLoader;
import org.redtest.data.DataLoader;
import org.redtest.experiment.TrainStage;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.storage.ResultsDatabase;

import java.nio.file.Path;

/**
 * The child process of {@link CrashConsistencyTest}: trains its tiny run and halts the JVM
 * ({@link Runtime#halt}, like {@code kill -9}: no finally blocks, no shutdown hooks, nothing flushed)
 * the {@code n}-th time the save sequence reaches the named point.
 * Arguments: output directory, CIFAR directory, kill point, n.
 */
public final class KillPointChild {
    static final int HALTED = 137;

    private KillPointChild() {
    }

    public static void main(String[] args) {
        String point = args[2];
        int n = Integer.parseInt(args[3]);
        int[] reached = {0};
        CrashPoints.hook = p -> {
            if (p.equals(point) && ++reached[0] == n) {
                Runtime.getRuntime().halt(HALTED);
            }
        };
        CpuAcceleration.configure();
        ConfigLoader.LoadedConfig loaded = CrashConsistencyTest.config(Path.of(args[0]), Path.of(args[1]));
        try (ResultsDatabase db = ResultsDatabase.open(loaded.config().databasePath())) {
            TrainStage.run(loaded, DataLoader.load(loaded.config().data()), db);
        }
        System.exit(0); // reached only if the kill point never came
    }
}
