package org.redtest.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A run trained in a scratch database arrives in the suite's: same values, paths rewritten, an unfinished attempt replaced. */
class RunRowsTest {
    @TempDir
    Path dir;

    private static ResultsDatabase.RunStart start(String name, String text) {
        return new ResultsDatabase.RunStart(name, "train", text, "hash-" + name, 42, "cifar10", "resnet8", 75290, 12460672, 2, "{}");
    }

    private static org.redtest.training.EpochRecord epoch(int n, double loss) {
        return new org.redtest.training.EpochRecord(n, 0.05, loss, 10.0 * n, 50.0, loss + 1, 0.4, 150);
    }

    @Test
    void rowsArriveWithPathsRewrittenAndReplaceAnUnfinishedAttempt() throws Exception {
        RunRows rows;
        try (ResultsDatabase scratch = ResultsDatabase.open(dir.resolve("scratch/redtest.db"))) {
            long id = scratch.startRun(start("resnet8", "output_dir: /scratch/tiny\n"));
            scratch.recordEpoch(id, epoch(1, 2.5));
            scratch.recordEpoch(id, epoch(2, 1.5));
            scratch.finishRun(id, 20.0, 60.0, 2.5, 0.8);
            rows = RunRows.read(scratch, List.of("resnet8")).withText("/scratch/tiny", "/suite/tiny");
        }
        assertEquals(1, rows.runs());
        assertEquals(2, rows.rows("epochs"));
        rows = roundTrip(rows); // what a Spark task's result goes through

        try (ResultsDatabase suite = ResultsDatabase.open(dir.resolve("suite/redtest.db"))) {
            long other = suite.startRun(start("resnet14", "other"));
            suite.recordEpoch(other, epoch(1, 9.0));
            long killed = suite.startRun(start("resnet8", "output_dir: /suite/tiny\n")); // an attempt that did not finish
            suite.recordEpoch(killed, epoch(1, 7.0));

            rows.writeInto(suite);
            rows.writeInto(suite); // recording the same result twice changes nothing
            assertEquals(java.util.Optional.of(killed), suite.runId("resnet8"), "the run keeps its id");
            assertEquals("finished", suite.runStatus(killed));
            assertEquals(List.of(epoch(1, 2.5), epoch(2, 1.5)), suite.epochs(killed));
            assertEquals(java.util.Optional.of("output_dir: /suite/tiny\n"), suite.configText(killed));
            assertEquals(List.of(epoch(1, 9.0)), suite.epochs(other), "other runs are left alone");
        }
    }

    private static RunRows roundTrip(RunRows rows) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(rows);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (RunRows) in.readObject();
        }
    }
}
