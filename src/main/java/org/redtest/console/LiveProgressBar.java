package org.redtest.console;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** A bar redrawn in place on a terminal (done/total, rate, ETA), by the progressbar library. */
final class LiveProgressBar implements Progress {
    private final ProgressBar bar;

    LiveProgressBar(String task, long total, String unit) {
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                // the library's default pattern prints 0.3 as ".3"
                .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
                .continuousUpdate()
                .setStyle(ProgressBarStyle.ASCII)
                .setMaxRenderedLength(110)
                .setUpdateIntervalMillis(500)
                .build();
    }

    @Override
    public void stepBy(long n) {
        bar.stepBy(n);
    }

    @Override
    public void setExtraMessage(String message) {
        // the library glues the message to the rate; the separator keeps "img/s | loss" readable
        bar.setExtraMessage(message == null || message.isBlank() ? "" : " | " + message.strip());
    }

    @Override
    public void close() {
        bar.close();
    }
}
