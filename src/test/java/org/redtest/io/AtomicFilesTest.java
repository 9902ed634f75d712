package org.redtest.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.RedTestException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheWholeFileAndLeavesNoTemporaryBehind() throws Exception {
        Path f = dir.resolve("sub/plan.json");
        AtomicFiles.writeString(f, "old");
        AtomicFiles.writeString(f, "new");
        assertEquals("new", Files.readString(f));
        try (Stream<Path> files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "only the target");
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFile() throws Exception {
        Path f = dir.resolve("parts.json");
        AtomicFiles.writeString(f, "complete");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes());
            throw new IOException("killed");
        }));
        assertEquals("complete", Files.readString(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file is removed");
        }
    }

    /** Issue 25 item 3: a link at the destination, or at the temporary name, is replaced, never written through. */
    @Test
    void neverWritesThroughASymbolicLink() throws Exception {
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "precious");
        Path target = dir.resolve("out/measure-cka.png");
        Files.createDirectories(target.getParent());
        Files.createSymbolicLink(target, victim);
        Files.createSymbolicLink(target.resolveSibling(".measure-cka.png." + ProcessHandle.current().pid() + ".tmp"), victim);
        AtomicFiles.writeString(target, "png bytes");
        assertEquals("precious", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(target));
        assertEquals("png bytes", Files.readString(target));
    }

    @Test
    void aRunDirectoryLinkedIntoAForeignDirectoryIsRefused() throws Exception {
        Path foreign = Files.createDirectories(dir.resolve("home"));
        Files.writeString(foreign.resolve("thesis.tex"), "years of work");
        Path run = Files.createSymbolicLink(dir.resolve("run"), foreign);
        var e = assertThrows(RedTestException.class, () -> DirectoryLock.acquire(run, "run directory"));
        assertTrue(e.getMessage().contains("run directory " + run + " is a symbolic link to " + foreign.toRealPath()
                + ", a non-empty directory that RedTest did not write"), e.getMessage());
        assertFalse(Files.exists(foreign.resolve(DirectoryLock.FILE)), "nothing written there");
        // a link to an empty directory, or to one of our own run directories, is fine
        Path empty = Files.createDirectories(dir.resolve("empty"));
        DirectoryLock.acquire(Files.createSymbolicLink(dir.resolve("run2"), empty), "run directory").close();
        Files.writeString(foreign.resolve("run.json"), "{}");
        DirectoryLock.acquire(run, "run directory").close();
    }

    @Test
    void sha256IsTheStandardDigest() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(""));
    }
}
