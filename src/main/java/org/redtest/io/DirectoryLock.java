package org.redtest.io;

import org.redtest.RedTestException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One owner per run or suite directory: an OS lock on {@code .redtest.lock} inside it, held while a command
 * writes there. The kernel drops the lock when its process ends however it ends (kill -9 included), so a
 * killed run never blocks the next; a second process is refused with the holder's pid and host, which the
 * holder writes into the file (locks are advisory, so the file can be read while locked).
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE = ".redtest.lock";
    /** Files that mark a directory as written by RedTest (older runs have no lock file). */
    private static final List<String> OWN_FILES = List.of(FILE, "run.json", "suite.json");

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes {@code directory}'s lock (creating the directory), or throws naming who holds it.
     *
     * @param what what the directory is, for the message ("run directory", "suite directory")
     */
    public static DirectoryLock acquire(Path directory, String what) {
        Path file = directory.resolve(FILE);
        FileChannel channel = null;
        try {
            refuseForeignLink(directory, what);
            Files.createDirectories(directory);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                lock = null; // this JVM holds it already (another command of the same process)
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new RedTestException(what + " " + directory + " is in use by another redtest process ("
                        + holder + "); wait for it to finish or stop it, then run the command again");
            }
            String me = "pid " + ProcessHandle.current().pid() + " on host " + HostName.local();
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new DirectoryLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new RedTestException("cannot lock " + what + " " + directory + " (" + file + "): " + e.getMessage(), e);
        }
    }

    /**
     * A directory given as a symbolic link to a non-empty directory that none of our commands wrote (no lock file, no
     * run.json or suite.json) is someone else's: writing our files into it could overwrite theirs.
     */
    static void refuseForeignLink(Path directory, String what) throws IOException {
        if (!Files.isSymbolicLink(directory) || !Files.isDirectory(directory)) {
            return;
        }
        boolean empty;
        try (var entries = Files.list(directory)) {
            empty = entries.findAny().isEmpty();
        }
        boolean ours = OWN_FILES.stream().anyMatch(f -> Files.exists(directory.resolve(f), LinkOption.NOFOLLOW_LINKS));
        if (!empty && !ours) {
            throw new RedTestException(what + " " + directory + " is a symbolic link to " + directory.toRealPath()
                    + ", a non-empty directory that RedTest did not write; remove the link or choose another name");
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(512);
        channel.read(buf, 0);
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "holder unknown" : text;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    /** Releases the lock; the file stays (removing it would race with a process about to lock it). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
    }
}
