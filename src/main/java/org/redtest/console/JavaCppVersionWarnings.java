package org.redtest.console;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops JavaCPP's "Versions of org.bytedeco:javacpp:1.5.13 and ...:1.5.7 do not match" warnings. The build
 * runs ND4J's 1.5.7 presets (OpenBLAS, oneDNN, OpenCL) on the 1.5.13 runtime the CUDA 13 bindings need, on
 * purpose and checked (docs/maintainers.md); the three warnings at every start would only teach people to
 * ignore warnings. JavaCPP logs through SLF4J once {@code org.bytedeco.javacpp.logger=slf4j} is set.
 */
public final class JavaCppVersionWarnings extends Filter<ILoggingEvent> {
    /** Sends JavaCPP's messages to SLF4J, where this filter sees them; must run before JavaCPP's first use. */
    public static void routeThroughSlf4j() {
        if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        }
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        String message = event.getMessage();
        return message != null && message.startsWith("Versions of org.bytedeco:javacpp:") && message.endsWith("do not match.")
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
