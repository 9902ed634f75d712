package org.redtest.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.cli.RedTestCli;
import org.redtest.storage.ResultsDatabase;
import org.redtest.storage.RunSummaries;
import org.redtest.testing.TinyCifarWorkspace;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 item 2 with real processes: {@code train} in a child JVM gets SIGINT (as from Ctrl-C) and exits
 * 130 with the run marked 'interrupted' and the command that resumes it, which then finishes the run; a
 * child halted as by {@code kill -9} leaves its run shown as 'running (process gone)'.
 */
class SignalChildTest {
    private static final int SIGINT = 2;

    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(4, 21);

    private static List<String> java(String mainClass) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path")));
        for (String property : new String[]{"org.eclipse.deeplearning4j.helpers.disable", "org.bytedeco.javacpp.platform.extension"}) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add(mainClass);
        return command;
    }

    @Test
    void sigintMarksTheRunInterruptedAndTheSameCommandResumesIt() throws Exception {
        Path out = WORK.dir().resolve("out");
        Path db = out.resolve("redtest.db");
        List<String> train = List.of("train", "--model", "vgg:4,M,8", "--dataset", "cifar10", "--data-dir", WORK.cifar().toString(),
                "--epochs", "3", "--batch-size", "20", "--lr", "0.05", "--no-augment", "--name", "sig",
                "--output-dir", out.toString());
        Path marker = WORK.dir().resolve("paused");
        List<String> command = java(SignalChild.class.getName());
        command.add(marker.toString());
        command.addAll(train);
        Path log = WORK.dir().resolve("child.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(marker), "the child reached the end of epoch 1: " + Files.readString(log));

        // SIGINT, unless this JVM was started with it ignored (a background job of a non-interactive shell):
        // then the child ignores it too, and SIGTERM, which takes the same path, stands in for it
        boolean sigintIgnored = ignored(child.pid(), SIGINT);
        int expectedExit = sigintIgnored ? 143 : RedTestCli.EXIT_INTERRUPTED;
        if (sigintIgnored) {
            child.destroy();
        } else {
            assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(child.pid())).start().waitFor());
        }
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child stops: " + Files.readString(log));
        String childLog = Files.readString(log);
        assertEquals(expectedExit, child.exitValue(), childLog);
        assertTrue(childLog.contains("redtest: interrupted: training of run 'sig' stopped by a signal during epoch 2 of 3"), childLog);
        assertTrue(childLog.contains("model.zip holds epoch 1 of 3"), childLog);
        assertTrue(childLog.contains("redtest: the same command resumes it from epoch 2: bin/redtest " + String.join(" ", train)),
                childLog);

        List<EpochRecord> before;
        try (ResultsDatabase d = ResultsDatabase.open(db)) {
            long id = d.runId("sig").orElseThrow();
            assertEquals("interrupted", d.runStatus(id));
            assertEquals("interrupted", new RunSummaries(d).named("sig").orElseThrow().statusText());
            before = d.epochs(id);
            assertEquals(List.of(1), before.stream().map(EpochRecord::epoch).toList());
        }

        // the same command, in this JVM, resumes from epoch 2 and finishes
        CommandLine cli = RedTestCli.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(0, cli.execute(train.toArray(String[]::new)), err.toString());
        try (ResultsDatabase d = ResultsDatabase.open(db)) {
            long id = d.runId("sig").orElseThrow();
            assertEquals("finished", d.runStatus(id));
            List<EpochRecord> rows = d.epochs(id);
            assertEquals(List.of(1, 2, 3), rows.stream().map(EpochRecord::epoch).toList());
            assertEquals(before.get(0), rows.get(0), "epoch 1 was kept, not trained again");
        }
    }

    /** Issue 25 item 7: a signal during a pruning fine-tuning is an interruption too, with the command that resumes it. */
    @Test
    void sigtermDuringFineTuningMarksItInterruptedWithTheResumeCommand() throws Exception {
        Path out = WORK.dir().resolve("pruneout");
        Path cfg = WORK.dir().resolve("prune-sig.yaml");
        Files.writeString(cfg, """
                name: psig
                model: vgg:4,M,8,8
                output_dir: %s
                data: {dataset: cifar10, dir: %s}
                training: {epochs: 1, batch_size: 10, learning_rate: 0.02}
                measure: {batches: 1, batch_size: 4}
                prune: {keep: 2, finetune_epochs: 3, baselines: []}
                stages: [train, prune]
                """.formatted(out, WORK.cifar()));
        Path marker = WORK.dir().resolve("paused-prune");
        List<String> command = java(SignalChild.class.getName());
        command.add(command.size() - 1, "-Dpause.at.row=2"); // the training's epoch, then the fine-tuning's first
        command.addAll(List.of(marker.toString(), "run", cfg.toString()));
        Path log = WORK.dir().resolve("prune-child.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(marker), "the child reached the fine-tuning's first epoch: " + Files.readString(log));
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child stops: " + Files.readString(log));
        String childLog = Files.readString(log);
        assertEquals(143, child.exitValue(), childLog);
        assertTrue(childLog.contains("redtest: interrupted: training of run 'psig/prune-cka-keep2' stopped by a signal "
                + "during epoch 2 of 3"), childLog);
        assertTrue(childLog.contains("redtest: the same command resumes it from epoch 2: bin/redtest run " + cfg), childLog);
        try (ResultsDatabase d = ResultsDatabase.open(out.resolve("redtest.db"))) {
            assertEquals("finished", d.runStatus(d.runId("psig").orElseThrow()));
            assertEquals("interrupted", d.runStatus(d.runId("psig/prune-cka-keep2").orElseThrow()));
        }
    }

    @Test
    void aRunWhoseProcessWasKilledIsShownAsSuch() throws Exception {
        Path out = WORK.dir().resolve("killed");
        List<String> command = java(KillPointChild.class.getName());
        command.addAll(List.of(out.toString(), WORK.cifar().toString(), CrashPoints.MODEL_SAVED, "1"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(WORK.dir().resolve("killed.log").toFile()).start();
        assertTrue(child.waitFor(180, TimeUnit.SECONDS));
        assertEquals(KillPointChild.HALTED, child.exitValue(), Files.readString(WORK.dir().resolve("killed.log")));
        try (ResultsDatabase d = ResultsDatabase.open(CrashConsistencyTest.config(out, WORK.cifar()).config().databasePath())) {
            RunSummaries.RunSummary run = new RunSummaries(d).named("crash").orElseThrow();
            assertEquals("running", run.status(), "the database row still says running");
            assertEquals(child.pid(), run.owner().pid());
            assertEquals("running (process gone)", run.statusText());
        }
    }

    /** Whether the process ignores the signal (the SigIgn mask of /proc/PID/status). */
    private static boolean ignored(long pid, int signal) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << (signal - 1))) != 0;
            }
        }
        return false;
    }
}
