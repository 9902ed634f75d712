package org.redtest.process;

import java.lang.reflect.Field;

/**
 * Named points where tests make a process fail as it would in the field. The system property
 * {@code redtest.faultInjection.crash} names a point; a process reaching it dies of a real SIGSEGV in native
 * memory access, with a HotSpot crash log, as a crash in libnd4j would; {@code redtest.faultInjection.hang} names a
 * point where it waits until it is stopped, as a long computation would. Unset (always, outside tests) they do nothing.
 */
public final class FaultInjection {
    public static final String CRASH_PROPERTY = "redtest.faultInjection.crash";
    public static final String HANG_PROPERTY = "redtest.faultInjection.hang";

    private FaultInjection() {
    }

    public static void reach(String point) {
        if (point.equals(System.getProperty(CRASH_PROPERTY))) {
            crashNatively();
        }
        if (point.equals(System.getProperty(HANG_PROPERTY))) {
            hang();
        }
    }

    private static void hang() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void crashNatively() {
        try {
            Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object unsafe = f.get(null);
            unsafe.getClass().getMethod("putAddress", long.class, long.class).invoke(unsafe, 0L, 0L);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fault injection: cannot reach sun.misc.Unsafe", e);
        }
        throw new IllegalStateException("fault injection: the write to address 0 did not crash the JVM");
    }
}
