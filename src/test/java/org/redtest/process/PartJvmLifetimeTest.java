package org.redtest.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.reproduce.PaperSuite;
import org.redtest.testing.TinyCifarWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 25 item 2 with real processes: {@code bench paper} runs a part in a JVM of its own (held at its start by
 * fault injection, as a long training would be); when the suite's JVM gets SIGTERM, or is killed with -9, the
 * part's JVM is gone within 5 s instead of going on writing into the suite directory.
 */
class PartJvmLifetimeTest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(4, 19);

    /** The suite's JVM and its part's JVM, once the part has started. */
    private record Suite(Process parent, ProcessHandle part) {
    }

    private static Suite startSuite(String name) throws Exception {
        Path suite = WORK.dir().resolve(name + ".yaml");
        Files.writeString(suite, "tier: cpu\nname: " + name + "\noutput_dir: " + WORK.dir().resolve("suites") + "\ndata: "
                + "{dataset: cifar10, dir: " + WORK.cifar() + "}\ntraining: {epochs: 1, batch_size: 10}\nmeasure: "
                + "{batches: 1, batch_size: 4}\ndepth: [resnet8]\n");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        for (String property : new String[]{"org.eclipse.deeplearning4j.helpers.disable", "org.bytedeco.javacpp.platform.extension"}) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("-D" + FaultInjection.HANG_PROPERTY + "=" + PaperSuite.PART_FAULT_POINT + "depth-resnet8");
        command.addAll(List.of("org.redtest.cli.RedTestCli", "bench", "paper", "--tier", "cpu", "--suite", suite.toString()));
        Path log = WORK.dir().resolve(name + ".log");
        Process parent = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Optional<ProcessHandle> part = Optional.empty();
        while (part.isEmpty() && parent.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            part = parent.children().findFirst(); // the suite's JVM starts no other process
        }
        if (part.isEmpty()) {
            parent.destroyForcibly();
        }
        assertTrue(part.isPresent(), "the part's JVM started: " + Files.readString(log));
        Thread.sleep(1500); // into its JVM start-up, where a real part would begin training
        return new Suite(parent, part.get());
    }

    private static void assertGoneWithin5s(ProcessHandle p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        boolean alive = p.isAlive();
        p.destroyForcibly(); // never leave one behind, even when the test fails
        assertFalse(alive, "pid " + p.pid() + " is still running 5 s later");
    }

    @Test
    void sigtermToTheSuiteStopsItsPartJvm() throws Exception {
        Suite s = startSuite("term");
        s.parent().destroy(); // SIGTERM
        assertGoneWithin5s(s.parent().toHandle());
        assertGoneWithin5s(s.part());
    }

    @Test
    void aPartJvmWhoseSuiteWasKilledStopsByItself() throws Exception {
        Suite s = startSuite("kill");
        s.parent().destroyForcibly(); // SIGKILL: no hook runs in the parent
        assertGoneWithin5s(s.parent().toHandle());
        assertGoneWithin5s(s.part());
    }
}
