package org.redtest.storage;

/**
 * A run's status as people should read it: a 'running' row whose owning process is gone is a run that
 * was killed, not a live one; rows written before owners were recorded cannot be checked and say so.
 */
public final class RunStatusText {
    private RunStatusText() {
    }

    public static String of(String status, RunOwner owner) {
        if (!RunStatus.RUNNING.word().equals(status)) {
            return status;
        }
        if (owner == null) {
            return "running (owner not recorded)";
        }
        return switch (owner.liveness()) {
            case ALIVE -> RunStatus.RUNNING.word();
            case GONE -> "running (process gone)";
            case OTHER_HOST -> "running (on host " + owner.host() + ", pid " + owner.pid() + ")";
        };
    }
}
