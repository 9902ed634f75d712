package org.redtest;

/**
 * A problem the user can fix (bad path, malformed config, unknown model, corrupt checkpoint...).
 * Its message is one line that names the problem; the CLI prints it without a stack trace.
 */
public class RedTestException extends RuntimeException {
    public RedTestException(String message) {
        super(oneLine(message));
    }

    public RedTestException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Line breaks that came in with user input (a spec or name quoted back) are shown escaped, keeping one line. */
    static String oneLine(String message) {
        return message == null ? null : message.replace("\r", "\\r").replace("\n", "\\n");
    }
}
