package org.redtest.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.testing.CliRun;
import org.redtest.testing.TinyCifarWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/**
 * Issue 17: a CPU training run estimated to take over an hour does not start without --yes. A
 * hundred million epochs of a tiny data set is over the hour at any speed, and is refused after
 * the probe's few steps, before anything is written.
 */
class LongTrainingRefusalTest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(8, 11);

    @Test
    void trainAndRunRefuseAnHoursLongRunWithoutYes() throws Exception {
        Path out = WORK.dir().resolve("out");
        CliRun.Result train = run("train", "--model", "resnet8", "--dataset", "cifar10", "--data-dir", WORK.cifar().toString(),
                "--epochs", "100000000", "--output-dir", out.toString());
        assertEquals(1, train.exitCode(), train.err());
        assertTrue(train.err().startsWith("redtest: error: this training is estimated to take about "), train.err());
        assertTrue(train.err().contains("give --yes to start it anyway, or fewer --epochs"), train.err());
        assertEquals(1, train.err().strip().lines().count(), train.err());

        Path cfg = WORK.dir().resolve("long.yaml");
        Files.writeString(cfg, "name: long\noutput_dir: " + out + "\nmodel: resnet8\ndata: {dataset: cifar10, dir: "
                + WORK.cifar() + "}\ntraining: {epochs: 100000000, batch_size: 8}\n");
        CliRun.Result r = run("run", cfg.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("give --yes to start it anyway, or lower training.epochs in " + cfg), r.err());
        assertFalse(Files.exists(out), "refused before the database or a run directory was written");
    }
}
