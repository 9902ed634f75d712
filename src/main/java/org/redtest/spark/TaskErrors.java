package org.redtest.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a failed candidate's job left: how many attempts Spark made and why the last one failed. */
public final class TaskErrors {
    private static final Pattern FAILED_TIMES = Pattern.compile("failed (\\d+) times");
    private static final int MAX_LENGTH = 2000;

    private TaskErrors() {
    }

    /**
     * Whether a job failed because its task failed every attempt, which makes the candidate failed.
     * Anything else (the context shutting down on Ctrl-C, a cancelled job, a result too large for the
     * driver) is not the candidate's fault: it must stay claimed, to be evaluated again on resume.
     */
    public static boolean isTaskFailure(Throwable e) {
        return FAILED_TIMES.matcher(String.valueOf(e.getMessage())).find();
    }

    public static int attempts(Throwable e, int fallback) {
        Matcher m = FAILED_TIMES.matcher(String.valueOf(e.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : fallback;
    }

    /** The message without Spark's stack-trace lines, short enough for a database column. */
    public static String summary(Throwable e) {
        StringBuilder s = new StringBuilder(e.getClass().getSimpleName()).append(": ");
        for (String line : String.valueOf(e.getMessage()).split("\n")) {
            if (!line.stripLeading().startsWith("at ") && !line.isBlank() && !line.stripLeading().startsWith("Driver stacktrace")) {
                s.append(line.strip()).append(' ');
            }
        }
        String text = s.toString().strip();
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH);
    }
}
