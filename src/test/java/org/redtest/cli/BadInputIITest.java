package org.redtest.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.testing.CliRun;
import org.redtest.testing.DatabaseRows;
import org.redtest.testing.TinyCifarWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** Issue 25 items 8, 10, 12 end to end: refused before any work with one line, or recorded as what was used. */
class BadInputIITest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(8, 37);

    @Test
    void aModelTooLargeToHoldIsRefusedWithItsTrueSizeBeforeAnyWork() throws Exception {
        Path f = WORK.dir().resolve("huge.yaml");
        Path out = WORK.dir().resolve("huge-out");
        Files.writeString(f, "name: huge\noutput_dir: " + out + "\nmodel: 'nats[C=4000,N=1]:#1234'\ndata: {dataset: cifar10, "
                + "dir: " + WORK.cifar() + "}\ntraining: {epochs: 1, batch_size: 8}\nstages: [train]\n");
        long start = System.nanoTime();
        CliRun.Result r = run("run", "--yes", f.toString());
        assertTrue(System.nanoTime() - start < 30e9, "at once, not after building the graph");
        BadInputTest.assertOneLineError(r, "has 4,480,540,010 parameters; at most 2,147,483,647 fit");
        assertFalse(Files.exists(out.resolve("huge/model.zip")));
        assertEquals(List.of(), Files.exists(out.resolve("redtest.db"))
                ? DatabaseRows.query(out.resolve("redtest.db"), "SELECT name FROM runs") : List.of());
    }

    @Test
    void aMeasurementRecordsTheBatchSizeItUsed() throws Exception {
        Path db = WORK.dir().resolve("bs.db");
        CliRun.Result r = run("msrs", "--model", "resnet8", "--dataset", "cifar10", "--data-dir", WORK.cifar().toString(),
                "--batches", "1", "--batch-size", "100000", "--out", WORK.dir().resolve("bs").toString(), "--db", db.toString(),
                "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().matches("(?s).*\"batch_size\"\\s*:\\s*8\\b.*"), r.out());
        assertEquals(List.of("1|8"), DatabaseRows.query(db, "SELECT batches, batch_size FROM measurements"));
    }

    @Test
    void aMissingTemporaryDirectoryIsOneLine() throws Exception {
        Path db = WORK.dir().resolve("t.db");
        org.redtest.storage.ResultsDatabase.open(db).close(); // so that SQLite's native library is what needs the directory
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=/nonexistent-redtest-tmp", "-cp", System.getProperty("java.class.path"),
                "org.redtest.cli.RedTestCli", "runs", "--db", db.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), output);
        assertEquals("redtest: error: temporary directory /nonexistent-redtest-tmp (java.io.tmpdir) does not exist: the "
                + "native libraries are unpacked there; create it, or choose another with -Djava.io.tmpdir=DIR "
                + "(bin/redtest: REDTEST_JAVA_OPTS)", output.strip());
    }
}
