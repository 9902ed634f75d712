package org.redtest.io;

/**
 * A second process for the lock tests: takes DIRECTORY's lock, says "locked" on standard output, and holds it
 * until killed or until its standard input closes. Argument: the directory.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (DirectoryLock lock = DirectoryLock.acquire(java.nio.file.Path.of(args[0]), "run directory")) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the parent closes our input
            }
        }
    }
}
