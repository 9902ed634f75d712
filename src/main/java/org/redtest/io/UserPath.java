package org.redtest.io;

import org.redtest.RedTestException;

import java.nio.file.Path;

/**
 * The one rule for a path written in a settings file (data.dir, output_dir, database, a suite's output_dir): a
 * leading {@code ~} or {@code ~/} is the user's home directory, as a shell would read it, so that no key silently
 * creates a folder named "~". {@code ~name} (another user's home) is refused rather than taken literally.
 */
public final class UserPath {
    private UserPath() {
    }

    /** @param key the settings key, for the message */
    public static Path of(String text, String key) {
        String t = text.trim();
        if (t.equals("~") || t.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + t.substring(1));
        }
        if (t.startsWith("~")) {
            throw new RedTestException(key + " '" + text + "': only ~ and ~/... (your home directory) are expanded; "
                    + "write another user's home as a full path");
        }
        return Path.of(t);
    }
}
