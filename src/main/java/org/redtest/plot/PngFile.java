package org.redtest.plot;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.redtest.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A chart saved as PNG the way every file of ours is written ({@link AtomicFiles}): complete or not at all, and
 * never through a symbolic link at the destination. XChart's own saveBitmap writes in place, follows links and
 * appends ".png" to a name without it.
 */
public final class PngFile {
    private PngFile() {
    }

    public static void write(Chart<?, ?> chart, Path png) throws IOException {
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
