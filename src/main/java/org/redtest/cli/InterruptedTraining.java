package org.redtest.cli;

import org.redtest.training.TrainingInterrupted;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Pattern;

/** What a command that trains says when a signal stopped it: what is saved, and the command that resumes it. */
final class InterruptedTraining {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    private InterruptedTraining() {
    }

    /** Prints the report on the command's error stream and returns the exit code (128 + SIGINT, as a shell expects). */
    static int report(CommandSpec spec, TrainingInterrupted e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("redtest: interrupted: " + e.getMessage());
        String saved = e.checkpoint() == null ? "no epoch had completed"
                : e.checkpoint() + " holds epoch " + e.completedEpochs() + " of " + e.plannedEpochs();
        err.println("redtest: run '" + e.run() + "' is marked 'interrupted' in " + e.database() + "; " + saved);
        err.println("redtest: the same command resumes it" + (e.checkpoint() == null ? "" : " from epoch " + (e.completedEpochs() + 1))
                + ": " + resumeCommand(spec));
        err.flush();
        return RedTestCli.EXIT_INTERRUPTED;
    }

    /** The command line as given, quoted for a POSIX shell where needed. */
    static String resumeCommand(CommandSpec spec) {
        List<String> args = spec.root().commandLine().getParseResult().originalArgs();
        StringBuilder s = new StringBuilder("bin/redtest");
        for (String a : args) {
            s.append(' ').append(PLAIN.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return s.toString();
    }
}
