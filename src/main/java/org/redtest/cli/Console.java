package org.redtest.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.redtest.RedTestException;
import org.redtest.engine.cpu.CpuAcceleration;
import org.redtest.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/** Shared bits of command output: pretty JSON and the start-up line about the compute path. */
final class Console {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Where commands outside an experiment record their results unless --db says otherwise. */
    static final java.nio.file.Path DEFAULT_DATABASE = java.nio.file.Path.of("checkpoints", "redtest.db");

    private Console() {
    }

    /** Logged by every command that computes, so a slow run is never a silent mystery. */
    static void logComputePath() {
        CpuAcceleration.Status status = CpuAcceleration.status();
        if (status.oneDnnHelpersActive() || !"CPU".equalsIgnoreCase(status.backend())) {
            LOG.info(status.describe());
        } else {
            LOG.warn(status.describe());
        }
    }

    /** Writes {@code value} as JSON to {@code file} (for a command's {@code --json FILE}). */
    static void writeJson(Path file, Object value) {
        try {
            AtomicFiles.writeString(file, json(value));
        } catch (IOException e) {
            throw new RedTestException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
