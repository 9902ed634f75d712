package org.redtest.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the header of a HotSpot fatal-error log ({@code hs_err_pid*.log}): the signal and the problematic
 * frame, which is what an upstream bug report needs first.
 */
public final class CrashLog {
    private CrashLog() {
    }

    /** E.g. "SIGSEGV (0xb) at pc=0x7f.., pid=12, tid=13; problematic frame: C [libnd4jcpu.so+0x1a2b] sd::Tad...". */
    public static String summary(Path log) {
        List<String> lines;
        try (var stream = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            lines = stream.limit(60).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return "unreadable crash log";
        }
        String signal = null;
        String frame = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = stripHash(lines.get(i));
            if (signal == null && line.matches("(SIG[A-Z]+|EXCEPTION_[A-Z_]+|Internal Error|Out of Memory Error).*")) {
                signal = line;
            }
            if (line.startsWith("Problematic frame:") && i + 1 < lines.size()) {
                frame = stripHash(lines.get(i + 1)).replaceAll("\\s+", " ");
            }
        }
        if (signal == null && frame == null) {
            return "no signal or frame in the crash log";
        }
        return (signal != null ? signal : "fatal error") + (frame != null ? "; problematic frame: " + frame : "");
    }

    private static String stripHash(String line) {
        return line.startsWith("#") ? line.substring(1).trim() : line.trim();
    }
}
