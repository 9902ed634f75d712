package org.redtest.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress for long work (done/total, rate, ETA). On a terminal a bar redraws in place; when
 * output goes to a file or a CI log, plain lines go to the "progress" logger instead: one at each
 * 10% mark at most every 30 s, and one final line.
 */
public final class ProgressBars {
    private static final Logger LOG = LoggerFactory.getLogger("progress");

    private ProgressBars() {
    }

    /** @param unit what is counted, singular and without a leading space, e.g. {@code "img"} */
    public static Progress create(String task, long total, String unit) {
        if (System.console() != null) {
            return new LiveProgressBar(task, total, unit);
        }
        return new PlainProgressLines(task, total, unit, LOG::info, System::nanoTime);
    }
}
