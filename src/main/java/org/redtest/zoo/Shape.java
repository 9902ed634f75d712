package org.redtest.zoo;

import org.redtest.RedTestException;

/** Shape of one sample's activation: channels x height x width (a flat vector is C x 1 x 1). */
public record Shape(int channels, int height, int width) {
    public Shape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new RedTestException("invalid shape " + channels + "x" + height + "x" + width);
        }
    }

    public long size() {
        return (long) channels * height * width;
    }

    /** Parses "CxHxW", e.g. "3x32x32". */
    public static Shape parse(String text) {
        String[] parts = text.trim().toLowerCase().split("x");
        if (parts.length != 3) {
            throw new RedTestException("input shape must be CxHxW (e.g. 3x32x32), got '" + text + "'");
        }
        try {
            return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new RedTestException("input shape must be CxHxW (e.g. 3x32x32), got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
