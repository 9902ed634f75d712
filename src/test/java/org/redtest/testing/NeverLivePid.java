package org.redtest.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process id no process can have, for a run or claim whose owner is dead. The pid of a process that has
 * exited may be handed to a new one at any moment; Linux never hands out a pid at or above its pid_max,
 * which cannot exceed 2^22 (macOS stops far lower).
 */
public final class NeverLivePid {
    /** Linux's PID_MAX_LIMIT on 64-bit machines: the highest value /proc/sys/kernel/pid_max accepts. */
    private static final long PID_MAX_LIMIT = 1L << 22;

    private NeverLivePid() {
    }

    /** A pid above this machine's pid_max (checked where it can be read), with no process behind it. */
    public static long value() {
        long pid = PID_MAX_LIMIT + 1;
        Path pidMax = Path.of("/proc/sys/kernel/pid_max");
        try {
            if (Files.isReadable(pidMax) && Long.parseLong(Files.readString(pidMax).trim()) >= pid) {
                throw new IllegalStateException("pid_max " + Files.readString(pidMax).trim() + " is above " + pid);
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read " + pidMax + ": " + e.getMessage(), e);
        }
        if (ProcessHandle.of(pid).isPresent()) {
            throw new IllegalStateException("a process has pid " + pid);
        }
        return pid;
    }
}
