package org.redtest.reproduce;

import org.redtest.RedTestException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The scratch directory a Spark task computes in, and what it sends back from it: files as bytes, the host. */
final class Scratch {
    private Scratch() {
    }

    static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new RedTestException("cannot create a scratch directory for a Spark task: " + e.getMessage(), e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover scratch directory in the temporary directory is harmless
        }
    }

    /** Every file under {@code directory}, by its path relative to it. */
    static TreeMap<String, byte[]> files(Path directory) {
        TreeMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.filter(Files::isRegularFile).toList()) {
                files.put(directory.relativize(p).toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new RedTestException("cannot read the task's directory " + directory + ": " + e.getMessage(), e);
        }
        return files;
    }

    /** The machine that ran the task (a Spark executor's host, on a cluster). */
    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
