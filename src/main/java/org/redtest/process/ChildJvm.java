package org.redtest.process;

import org.redtest.RedTestException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@code redtest} command in a fresh JVM, so that a crash in native code (a SIGSEGV in libnd4j, say)
 * ends that process alone and the caller can report it and go on. The child gets this JVM's heap limit and
 * RedTest/ND4J/JavaCPP system properties; its standard output goes line by line to a consumer, its standard
 * error to ours (the last lines are kept for the failure message); a JVM crash log goes to a chosen directory.
 */
public final class ChildJvm {
    private static final int KEPT_ERROR_LINES = 20;
    /** How long a child asked to stop may take (marking its run interrupted) before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);
    private static final List<String> FORWARDED_PROPERTIES = List.of("redtest.", "org.nd4j.", "org.bytedeco.",
            "org.eclipse.deeplearning4j.", "logback.");

    /** How the child ended: its exit code, the last lines of its standard error, and its crash log if it wrote one. */
    public record Result(int exitCode, List<String> errorTail, Optional<Path> crashLog) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        /**
         * One line naming what went wrong: the JVM crash (signal and problematic frame from its log), the
         * command's own error message, or the exit code.
         */
        public String failure() {
            if (crashLog.isPresent()) {
                return "the JVM crashed: " + CrashLog.summary(crashLog.get()) + " (crash log " + crashLog.get() + ")";
            }
            String signal = exitCode > 128 ? ", killed by signal " + (exitCode - 128) : "";
            Optional<String> error = errorTail.stream().filter(l -> l.startsWith("redtest: error:")).reduce((a, b) -> b);
            return error.map(e -> e.substring("redtest: error:".length()).trim() + " (exit code " + exitCode + signal + ")")
                    .orElse("exit code " + exitCode + signal);
        }
    }

    private ChildJvm() {
    }

    /**
     * Runs {@code redtest args...}; {@code heap} (e.g. "-Xmx2g") replaces this JVM's heap limit when given;
     * a crash log goes to {@code crashDirectory} (created when needed).
     */
    public static Result run(List<String> args, String heap, Path crashDirectory, Consumer<String> output) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (heap != null) {
            cmd.add(heap);
        } else {
            jvmArgs.stream().filter(a -> a.startsWith("-Xmx")).reduce((a, b) -> b).ifPresent(cmd::add);
        }
        jvmArgs.stream().filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(cmd::add);
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> FORWARDED_PROPERTIES.stream().anyMatch(k::startsWith) && !k.equals(ParentWatch.PROPERTY))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.add("-D" + ParentWatch.PROPERTY + "=" + ParentWatch.describeCurrent());
        Path crashes = crashDirectory.toAbsolutePath();
        cmd.add("-XX:ErrorFile=" + crashes.resolve("hs_err_pid%p.log"));
        cmd.addAll(List.of("-cp", classPath(System.getProperty("java.class.path"), ownCode()), "org.redtest.cli.RedTestCli"));
        cmd.addAll(args);
        try {
            Files.createDirectories(crashes);
            Process process = new ProcessBuilder(cmd).start();
            // SIGTERM, SIGINT or SIGHUP to this JVM runs its shutdown hooks: the child (and what it started) goes too
            Thread stopChild = new Thread(() -> stop(process), "redtest-stop-child-jvm");
            Runtime.getRuntime().addShutdownHook(stopChild);
            try {
                return await(process, output, crashes);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopChild);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run
                }
            }
        } catch (IOException e) {
            throw new RedTestException("cannot start a redtest process (" + String.join(" ", args) + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedTestException("interrupted while a redtest process ran (" + String.join(" ", args) + ")");
        }
    }

    /**
     * Asks the child and its descendants to stop (SIGTERM: a training child marks its run interrupted), and
     * kills whatever is left after a grace period shorter than a caller's patience.
     */
    static void stop(Process process) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception notYet) {
                p.destroyForcibly();
            }
        }
    }

    private static Result await(Process process, Consumer<String> output, Path crashes)
            throws IOException, InterruptedException {
        Deque<String> tail = new ArrayDeque<>();
        Thread errors = new Thread(() -> copyErrors(process, tail), "child-jvm-stderr");
        errors.setDaemon(true);
        errors.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                output.accept(line);
            }
        }
        int rc = process.waitFor();
        errors.join();
        Optional<Path> log = rc == 0 ? Optional.empty() : crashLogOf(crashes, process.pid());
        synchronized (tail) {
            return new Result(rc, List.copyOf(tail), log);
        }
    }

    private static void copyErrors(Process process, Deque<String> tail) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                System.err.println(line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > KEPT_ERROR_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the child is gone; what was read is kept
        }
    }

    private static Optional<Path> crashLogOf(Path directory, long pid) {
        Path log = directory.resolve("hs_err_pid" + pid + ".log");
        return Files.isRegularFile(log) ? Optional.of(log) : Optional.empty();
    }

    /**
     * The child's class path: this JVM's, plus the jar or directory RedTest's own classes came from when that is not
     * on it. Under spark-submit the job jar is loaded by Spark's class loader and missing from java.class.path, so
     * a suite's parts would otherwise start a JVM that cannot find RedTest.
     */
    static String classPath(String javaClassPath, Path ownCode) {
        if (ownCode == null) {
            return javaClassPath;
        }
        String own = ownCode.toAbsolutePath().normalize().toString();
        for (String entry : javaClassPath.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Path.of(entry).toAbsolutePath().normalize().toString().equals(own)) {
                return javaClassPath;
            }
        }
        return javaClassPath.isEmpty() ? own : javaClassPath + java.io.File.pathSeparator + own;
    }

    private static Path ownCode() {
        try {
            var source = ChildJvm.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null; // an unusual class loader: the class path as it is
        }
    }
}
