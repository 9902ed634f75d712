package org.redtest.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.testing.CliRun;
import org.redtest.testing.DatabaseRows;
import org.redtest.testing.TinyCifarWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/**
 * Issue 25, item 1: a network that diverges is a failed run naming where it diverged, never a finished run
 * with 100% (or NaN) accuracy, and the last finite checkpoint stays the one a resume starts from.
 */
class DivergenceTest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(8, 13);

    private static Path config(String name, String training) throws Exception {
        Path f = WORK.dir().resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\noutput_dir: " + WORK.dir().resolve("out") + "\nmodel: resnet8\n"
                + "data: {dataset: cifar10, dir: " + WORK.cifar() + "}\ntraining: " + training + "\nstages: [train, evaluate]\n");
        return f;
    }

    @Test
    void aDivergedRunIsStoredAsFailedWithWhereItDiverged() throws Exception {
        CliRun.Result r = run("run", config("boom", "{epochs: 1, batch_size: 20, learning_rate: 1.0e+20}").toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().matches("(?s)redtest: error: training diverged in epoch 1 of 1, batch [12] of 2, at learning rate 1.00e\\+20 .*no checkpoint was written.*"), r.err());
        assertFalse(r.out().contains("100.00%") || r.out().contains("NaN"), r.out());
        Path db = WORK.dir().resolve("out/redtest.db");
        List<String> run = DatabaseRows.query(db, "SELECT status, error, final_top1 FROM runs WHERE name = 'boom'");
        assertEquals(1, run.size());
        assertTrue(run.get(0).startsWith("failed|training diverged in epoch 1 of 1"), run.get(0));
        assertTrue(run.get(0).endsWith("|null"), "no accuracy stored: " + run.get(0));
        assertEquals(List.of("0"), DatabaseRows.query(db, "SELECT COUNT(*) FROM epochs e JOIN runs r ON r.id = e.run_id WHERE r.name = 'boom'"));
        assertEquals(List.of("0"), DatabaseRows.query(db, "SELECT COUNT(*) FROM evaluations e JOIN runs r ON r.id = e.run_id WHERE r.name = 'boom'"));
        assertFalse(Files.exists(WORK.dir().resolve("out/boom/model.zip")), "no checkpoint of a NaN network");
        CliRun.Result runs = run("runs", "--db", db.toString());
        assertTrue(runs.out().lines().anyMatch(l -> l.startsWith("boom ") && l.contains(" failed ")), runs.out());
        assertTrue(runs.out().contains("boom failed: training diverged in epoch 1 of 1"), runs.out());
    }

    @Test
    void divergenceInALaterEpochKeepsTheLastFiniteCheckpointResumable() throws Exception {
        // epoch 1 at 0.01, epoch 2 at 0.01 * 1e22
        Path f = config("late", "{epochs: 2, batch_size: 20, learning_rate: 0.01, lr_milestones: [1], lr_gamma: 1.0e+22}");
        CliRun.Result r = run("run", f.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("training diverged in epoch 2 of 2"), r.err());
        Path db = WORK.dir().resolve("out/redtest.db");
        assertEquals(List.of("failed"), DatabaseRows.query(db, "SELECT status FROM runs WHERE name = 'late'"));
        assertEquals(List.of("1"), DatabaseRows.query(db, "SELECT MAX(epoch) FROM epochs e JOIN runs r ON r.id = e.run_id "
                + "WHERE r.name = 'late'"));
        Path model = WORK.dir().resolve("out/late/model.zip");
        assertEquals(1, org.redtest.training.CheckpointStore.load(model).getConfiguration().getEpochCount());
        // the same command resumes from epoch 1's finite checkpoint (and diverges there again)
        CliRun.Result again = run("run", f.toString());
        assertTrue(again.err().contains("training diverged in epoch 2 of 2"), again.err());
    }
}
