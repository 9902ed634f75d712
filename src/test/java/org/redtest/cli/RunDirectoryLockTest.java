package org.redtest.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.io.HostName;
import org.redtest.io.LockHolder;
import org.redtest.testing.CliRun;
import org.redtest.testing.TinyCifarWorkspace;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/**
 * Issue 25 item 5 with two real processes: while another process holds a run directory, {@code run} is refused
 * with one line naming the holder's pid and host and writes nothing; once that process is killed (-9), the kernel
 * has dropped its lock and the run goes ahead.
 */
class RunDirectoryLockTest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(4, 17);

    /** A JVM that holds {@code directory}'s lock until killed, started and holding it when this returns. */
    private static Process holder(Path directory) throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), directory.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream()));
        assertEquals("locked", lines.readLine());
        return holder;
    }

    @Test
    void aSecondProcessOnOneSuiteDirectoryIsRefusedBeforeAnyPart() throws Exception {
        Path suite = WORK.dir().resolve("suite.yaml");
        Files.writeString(suite, "tier: cpu\nname: tiny\noutput_dir: " + WORK.dir().resolve("suites") + "\ndata: {dataset: "
                + "cifar10, dir: " + WORK.cifar() + "}\ntraining: {epochs: 1, batch_size: 10}\nmeasure: {batches: 1, "
                + "batch_size: 4}\ndepth: [resnet8]\n");
        Path directory = WORK.dir().resolve("suites/tiny");
        Process holder = holder(directory);
        try {
            CliRun.Result refused = run("bench", "paper", "--tier", "cpu", "--suite", suite.toString());
            assertEquals(1, refused.exitCode(), refused.err());
            assertTrue(refused.err().contains("suite directory " + directory + " is in use by another redtest process (pid "
                    + holder.pid() + " on host "), refused.err());
            assertEquals(List.of(".redtest.lock"), Files.list(directory).map(p -> p.getFileName().toString()).toList());
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSecondProcessOnOneRunDirectoryIsRefusedNamingTheHolder() throws Exception {
        Path out = WORK.dir().resolve("out");
        Path cfg = WORK.dir().resolve("locked.yaml");
        Files.writeString(cfg, "name: locked\noutput_dir: " + out + "\nmodel: resnet8\ndata: {dataset: cifar10, dir: "
                + WORK.cifar() + "}\ntraining: {epochs: 1, batch_size: 10}\nstages: [train]\n");
        Process holder = holder(out.resolve("locked"));
        try {

            CliRun.Result refused = run("run", cfg.toString());
            assertEquals(1, refused.exitCode(), refused.err());
            assertTrue(refused.err().contains("run directory " + out.resolve("locked") + " is in use by another redtest "
                    + "process (pid " + holder.pid() + " on host " + HostName.local() + ")"), refused.err());
            assertEquals(1, refused.err().strip().lines().count(), refused.err());
            assertFalse(Files.exists(out.resolve("redtest.db")), "no database row, no checkpoint");
            assertEquals(List.of(".redtest.lock"), Files.list(out.resolve("locked")).map(p -> p.getFileName().toString()).toList());
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        CliRun.Result ok = run("run", cfg.toString());
        assertEquals(0, ok.exitCode(), "a killed holder leaves no stale lock: " + ok.err());
        assertTrue(Files.exists(out.resolve("locked/model.zip")));
    }
}
