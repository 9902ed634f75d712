package org.redtest.reproduce;

import org.redtest.RedTestException;
import org.redtest.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Writes files a Spark task sent back (by relative path) into one directory of the suite, each atomically. */
final class RunFiles {
    private RunFiles() {
    }

    static void write(Path directory, Map<String, byte[]> files, String what) {
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path target = directory.resolve(file.getKey()).normalize();
            if (!target.startsWith(directory.normalize())) {
                throw new RedTestException("the result of " + what + " names a file outside its directory: " + file.getKey());
            }
            try {
                AtomicFiles.write(target, out -> out.write(file.getValue()));
            } catch (IOException e) {
                throw new RedTestException("cannot write " + target + ": " + e.getMessage(), e);
            }
        }
    }
}
