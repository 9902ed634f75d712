package org.redtest.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.testing.CliRun;
import org.redtest.testing.NpyFiles;
import org.redtest.testing.TinyCifarWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** Issue 15: bad input is refused with one line before any work starts, and nothing is written. */
class BadInputTest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(8, 11);
    static Path acts;

    @BeforeAll
    static void setUp() throws Exception {
        acts = Files.createDirectories(WORK.dir().resolve("acts"));
        Random r = new Random(3);
        for (int layer = 1; layer <= 3; layer++) {
            float[] v = new float[16 * 4];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            NpyFiles.writeFloat32(acts.resolve("layer" + layer + ".npy"), new long[]{16, 4}, v);
        }
    }

    static void assertOneLineError(CliRun.Result r, String fragment) {
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    private static Path config(String name, String body) throws Exception {
        Path f = WORK.dir().resolve(name.replaceAll("[^a-z0-9-]", "_") + ".yaml");
        Files.writeString(f, "name: '" + name + "'\noutput_dir: " + WORK.dir().resolve("out/inner") + "\n"
                + "model: resnet8\ndata: {dataset: cifar10, dir: " + WORK.cifar() + "}\ntraining: {epochs: 1, batch_size: 8}\n" + body);
        return f;
    }

    @Test
    void runNamesThatLeaveTheOutputDirectoryAreRefusedBeforeAnyWrite() throws Exception {
        for (String name : new String[]{"..", "."}) {
            assertOneLineError(run("run", config(name, "").toString()), "run name '" + name + "'");
            assertOneLineError(run("train", "--model", "resnet8", "--dataset", "cifar10", "--data-dir", WORK.cifar().toString(),
                    "--epochs", "1", "--name", name, "--output-dir", WORK.dir().resolve("out/inner").toString()), "run name '" + name + "'");
        }
        assertFalse(Files.exists(WORK.dir().resolve("out")), "nothing written");
    }

    @Test
    void keepBeyondThePrunableUnitsIsRefusedBeforeTraining() throws Exception {
        Path f = config("keep-big", "prune: {keep: 4}\nstages: [train, evaluate, measure, prune]\n");
        assertOneLineError(run("run", f.toString()), "prune.keep must be between 1 and the 3 prunable units of resnet8");
        assertFalse(Files.exists(WORK.dir().resolve("out")), "no stage ran: no checkpoint, no database");
    }

    @Test
    void msrsParametersOnTheCommandLineAreRangeChecked() {
        for (String gamma : new String[]{"1", "1.5", "2", "-1"}) {
            assertOneLineError(run("similarity", "--activations", acts.toString(), "--gamma", gamma),
                    "--gamma must be between 0 and 1");
            assertOneLineError(run("msrs", "--model", "resnet8", "--dataset", "cifar10", "--data-dir", WORK.cifar().toString(),
                    "--gamma", gamma, "--db", WORK.dir().resolve("m.db").toString()), "--gamma must be between 0 and 1");
        }
        assertOneLineError(run("similarity", "--activations", acts.toString(), "--beta", "0"), "--beta must be");
        assertFalse(Files.exists(WORK.dir().resolve("m.db")), "refused before the database was opened");
        assertEquals(0, run("similarity", "--activations", acts.toString(), "--gamma", "0.5").exitCode());
    }

    @Test
    void searchWithoutASearchSectionIsRefusedNamingTheSection() throws Exception {
        Path f = config("no-search", "");
        assertOneLineError(run("search", "--config", f.toString()), "needs a 'search' section");
        Path staged = config("staged-search", "stages: [search]\n");
        assertOneLineError(run("run", staged.toString()), "needs a 'search' section");
        assertFalse(Files.exists(WORK.dir().resolve("out")), "no candidate trained, no database written");
    }

    @Test
    void plotIntoAnExistingDirectoryIsRefusedBeforeAnyWork() throws Exception {
        Path plots = Files.createDirectories(WORK.dir().resolve("plots"));
        assertOneLineError(run("similarity", "--activations", acts.toString(), "--plot", plots.toString()),
                "heatmap target " + plots + " is a directory");
        assertFalse(Files.exists(WORK.dir().resolve("plots.png")), "XChart's DIR.png is not written beside it either");
        CliRun.Result ok = run("similarity", "--activations", acts.toString(), "--plot", plots.resolve("cka.png").toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("CKA heatmap: " + plots.resolve("cka.png")), ok.out());
    }

    @Test
    void aDanglingNpySymlinkIsAnErrorNotASkippedLayer() throws Exception {
        Path broken = Files.createDirectories(WORK.dir().resolve("acts-broken"));
        for (String layer : new String[]{"layer1", "layer2"}) {
            Files.copy(acts.resolve(layer + ".npy"), broken.resolve(layer + ".npy"));
        }
        Files.createSymbolicLink(broken.resolve("layer3.npy"), WORK.dir().resolve("gone.npy"));
        assertOneLineError(run("similarity", "--activations", broken.toString()), "layer3.npy is a dangling symbolic link");
    }
}
