package org.redtest.engine.cpu;

import java.util.function.Supplier;

/** Runs code with a system property set, then puts back what was there (for switches read at build time). */
public final class SystemProperties {
    private SystemProperties() {
    }

    public static <T> T with(String key, String value, Supplier<T> body) {
        String before = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
