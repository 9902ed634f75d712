package org.redtest.storage;

import org.redtest.io.HostName;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The process that set a run to 'running': pid, host and the process's start time. A run whose owner
 * no longer exists was killed (kill -9, power loss) and is not live, whatever its status column says.
 * The start time tells a reused pid from the owner.
 */
public record RunOwner(long pid, String host, String processStart) {
    /** What can be said about the owner from this machine. */
    public enum Liveness { ALIVE, GONE, OTHER_HOST }

    /** Start times read twice from /proc differ by rounding only; a reused pid starts much later. */
    private static final Duration SAME_START = Duration.ofSeconds(2);

    public static RunOwner current() {
        ProcessHandle self = ProcessHandle.current();
        return new RunOwner(self.pid(), hostName(), self.info().startInstant().map(Instant::toString).orElse(null));
    }

    public Liveness liveness() {
        if (host == null || !host.equals(hostName())) {
            return Liveness.OTHER_HOST;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return Liveness.GONE;
        }
        Optional<Instant> started = process.get().info().startInstant();
        Instant recorded = parse(processStart);
        if (started.isPresent() && recorded != null
                && Duration.between(recorded, started.get()).abs().compareTo(SAME_START) > 0) {
            return Liveness.GONE; // the pid now belongs to another process
        }
        return Liveness.ALIVE;
    }

    static String hostName() {
        return HostName.local();
    }

    private static Instant parse(String instant) {
        try {
            return instant == null ? null : Instant.parse(instant);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
