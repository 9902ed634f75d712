package org.redtest;

/**
 * A problem the user can fix (bad path, malformed config, unknown model, corrupt checkpoint...).
 * Its message is one line that names the problem; the CLI prints it without a stack trace.
 */
public class RedTestException extends RuntimeException {
    public RedTestException(String message) {
        super(message);
    }

    public RedTestException(String message, Throwable cause) {
        super(message, cause);
    }
}
