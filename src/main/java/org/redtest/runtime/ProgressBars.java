package org.redtest.runtime;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress bars for long work (done/total, rate, ETA). On a terminal they redraw in place; when
 * output goes to a file or a CI log they print a line every 15 seconds instead.
 */
public final class ProgressBars {
    private static final Logger LOG = LoggerFactory.getLogger("progress");

    private ProgressBars() {
    }

    public static ProgressBar create(String task, long total, String unit) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(unit, 1)
                .showSpeed()
                .continuousUpdate()
                .setStyle(ProgressBarStyle.ASCII)
                .setMaxRenderedLength(110);
        if (System.console() == null) {
            b.setConsumer(new DelegatingProgressBarConsumer(LOG::info)).setUpdateIntervalMillis(15_000);
        } else {
            b.setUpdateIntervalMillis(500);
        }
        return b.build();
    }
}
