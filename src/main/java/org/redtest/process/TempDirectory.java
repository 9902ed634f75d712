package org.redtest.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The JVM's temporary directory, which the native libraries (ND4J's, SQLite's) are unpacked into before anything
 * runs. When it is missing or read-only, each library fails in its own way (pages of stack trace, then "cannot
 * open results database"); checked first, it is one line naming the directory and how to choose another.
 */
public final class TempDirectory {
    private TempDirectory() {
    }

    /** What is wrong with {@code java.io.tmpdir}, if anything. */
    public static Optional<String> problem() {
        String dir = System.getProperty("java.io.tmpdir");
        if (dir == null || dir.isBlank()) {
            return Optional.of("no temporary directory is set (java.io.tmpdir); set one with -Djava.io.tmpdir=DIR "
                    + "(bin/redtest: REDTEST_JAVA_OPTS)");
        }
        Path p = Path.of(dir);
        String why = !Files.exists(p) ? "does not exist" : !Files.isDirectory(p) ? "is not a directory"
                : !Files.isWritable(p) ? "is not writable" : null;
        return Optional.ofNullable(why).map(w -> "temporary directory " + dir + " (java.io.tmpdir) " + w
                + ": the native libraries are unpacked there; create it, or choose another with -Djava.io.tmpdir=DIR "
                + "(bin/redtest: REDTEST_JAVA_OPTS)");
    }
}
