package org.redtest.testing;

import org.redtest.cli.RedTestCli;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in this JVM as {@code bin/redtest} would, capturing what it prints. */
public final class CliRun {
    private CliRun() {
    }

    public record Result(int exitCode, String out, String err) {
    }

    public static Result run(String... args) {
        CommandLine cl = RedTestCli.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
