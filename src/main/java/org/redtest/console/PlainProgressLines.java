package org.redtest.console;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress for a log or a pipe, where a redrawn bar turns into clutter: a line at each new 10%
 * mark reached at least 30 s after the previous line (so short work prints nothing on the way),
 * and one final line when the work ends.
 */
final class PlainProgressLines implements Progress {
    static final long MIN_NANOS_BETWEEN_LINES = 30_000_000_000L;

    private final String task;
    private final long total;
    private final String unit;
    private final Consumer<String> sink;
    private final LongSupplier nanoClock;
    private final long start;
    private long done;
    private long lastLineAt;
    private long lastTenth;
    private String extra = "";
    private boolean closed;

    PlainProgressLines(String task, long total, String unit, Consumer<String> sink, LongSupplier nanoClock) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.sink = sink;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.lastLineAt = start;
    }

    @Override
    public synchronized void stepBy(long n) {
        done += n;
        long now = nanoClock.getAsLong();
        long tenth = total > 0 ? Math.min(10, done * 10 / total) : 0;
        if (done < total && tenth > lastTenth && now - lastLineAt >= MIN_NANOS_BETWEEN_LINES) {
            sink.accept(ProgressFormat.line(task, done, total, unit, seconds(now), false, extra));
            lastLineAt = now;
            lastTenth = tenth;
        }
    }

    @Override
    public synchronized void setExtraMessage(String message) {
        extra = message;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            sink.accept(ProgressFormat.line(task, done, total, unit, seconds(nanoClock.getAsLong()), true, extra));
        }
    }

    private double seconds(long now) {
        return (now - start) / 1e9;
    }
}
