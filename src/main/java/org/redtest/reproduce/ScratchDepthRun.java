package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.config.ConfigLoader;
import org.redtest.data.DataLoader;
import org.redtest.data.DataSpec;
import org.redtest.data.LoadedData;
import org.redtest.runtime.CpuAcceleration;
import org.redtest.storage.RunRows;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One depth model of a suite trained where the suite's directory and database are not to be written (a Spark
 * executor): exactly what the local engine's part does, in a scratch directory with a database of its own, packed
 * into a {@link TrainedDepthModel} with the scratch paths written as the driver's, and the scratch removed.
 */
public final class ScratchDepthRun {
    /** The data set of this JVM, loaded once per data specification and shared by the tasks that run here. */
    private static DataSpec loadedSpec;
    private static LoadedData loaded;

    private ScratchDepthRun() {
    }

    public static TrainedDepthModel train(String suiteJson, String model) {
        long start = System.nanoTime();
        SuiteConfig driver = ConfigLoader.readText(suiteJson, "the suite (Spark task)", SuiteConfig.class).validate();
        Path scratch = scratchDirectory();
        try {
            SuiteConfig here = driver.forDepthTask(scratch.toString());
            String from = here.directory().toString();
            String to = driver.directory().toString();
            StringWriter log = new StringWriter();
            DepthPart.ModelResult result;
            RunRows rows;
            try (org.redtest.storage.ResultsDatabase db = org.redtest.storage.ResultsDatabase.open(here.directory().resolve("redtest.db"));
                 PrintWriter out = new PrintWriter(log)) {
                result = DepthPart.run(here, model, data(here.data()), db, out);
                rows = RunRows.read(db, List.of(model)).withText(from, to);
            }
            if (rows.runs() != 1) {
                throw new RedTestException("the scratch database of " + model + " holds " + rows.runs() + " runs named " + model
                        + ", expected 1");
            }
            return new TrainedDepthModel(model, result, files(here.directory().resolve(model)), rows,
                    log.toString().replace(from, to), host(), (System.nanoTime() - start) / 1e9, 1);
        } finally {
            deleteRecursively(scratch);
        }
    }

    /** Lets go of the data (local mode: the executors live on in the driver's JVM after the suite). */
    public static synchronized void releaseData() {
        loadedSpec = null;
        loaded = null;
    }

    private static synchronized LoadedData data(DataSpec spec) {
        if (!spec.equals(loadedSpec)) {
            CpuAcceleration.configure(); // before ND4J is first touched in this JVM
            loaded = null;
            loaded = DataLoader.load(spec);
            loadedSpec = spec;
        }
        return loaded;
    }

    /** Every file of the run directory, by its path relative to it. */
    private static TreeMap<String, byte[]> files(Path runDirectory) {
        TreeMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(runDirectory)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(runDirectory.relativize(p).toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new RedTestException("cannot read the trained run directory " + runDirectory + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static Path scratchDirectory() {
        try {
            return Files.createTempDirectory("redtest-sweep");
        } catch (IOException e) {
            throw new RedTestException("cannot create a scratch directory for a depth model: " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover scratch directory in the temporary directory is harmless
        }
    }

    /** The machine that trained the model (a Spark executor's host, on a cluster). */
    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
