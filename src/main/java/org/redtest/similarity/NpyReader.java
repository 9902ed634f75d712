package org.redtest.similarity;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.redtest.RedTestException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) holding float32 or float64
 * arrays, so that activations captured by PyTorch or NumPy can be measured here. The array keeps
 * its shape and its stored precision (FLOAT or DOUBLE); Fortran-ordered files are transposed back.
 */
public final class NpyReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {
    }

    /** The header fields this reader needs; {@code itemSize} 2, 4 or 8 bytes (float16, float32, float64). */
    private record Header(ByteOrder order, int itemSize, boolean fortranOrder, long[] shape, int dataOffset) {
        boolean float64() {
            return itemSize == 8;
        }
    }

    public static INDArray read(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 16) {
                throw new RedTestException(file + ": .npy file larger than 2 GB is not supported");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RedTestException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Header header = parseHeader(file, bytes);
        long count = 1;
        long expected;
        try {
            for (long dim : header.shape()) {
                count = Math.multiplyExact(count, dim);
            }
            expected = Math.multiplyExact(count, header.itemSize());
        } catch (ArithmeticException e) {
            throw new RedTestException(file + ": impossible shape " + Arrays.toString(header.shape()) + " in .npy header");
        }
        long available = bytes.length - (long) header.dataOffset();
        if (available < expected) {
            throw new RedTestException(file + ": truncated .npy file: shape " + Arrays.toString(header.shape())
                    + " needs " + expected + " bytes of data, found " + available);
        }
        if (available > expected) {
            throw new RedTestException(file + ": corrupt .npy file: " + (available - expected)
                    + " bytes after the data of shape " + Arrays.toString(header.shape()));
        }
        return toArray(header, ByteBuffer.wrap(bytes, header.dataOffset(), (int) expected).order(header.order()),
                (int) count);
    }

    private static INDArray toArray(Header header, ByteBuffer data, int count) {
        long[] shape = header.shape();
        // A Fortran-ordered array is the C-ordered array of the reversed shape, transposed.
        long[] storedShape = header.fortranOrder() ? reversed(shape) : shape;
        if (count == 0) {
            return Nd4j.create(header.float64() ? DataType.DOUBLE : DataType.FLOAT, shape);
        }
        INDArray stored;
        if (header.float64()) {
            double[] values = new double[count];
            data.asDoubleBuffer().get(values);
            stored = Nd4j.create(values, storedShape, DataType.DOUBLE);
        } else if (header.itemSize() == 2) { // float16 (a mixed-precision dump): widened to float32, exactly
            float[] values = new float[count];
            java.nio.ShortBuffer halves = data.asShortBuffer();
            for (int i = 0; i < count; i++) {
                values[i] = halfToFloat(halves.get(i));
            }
            stored = Nd4j.create(values, storedShape, DataType.FLOAT);
        } else {
            float[] values = new float[count];
            data.asFloatBuffer().get(values);
            stored = Nd4j.create(values, storedShape, DataType.FLOAT);
        }
        if (!header.fortranOrder() || shape.length < 2) {
            return stored;
        }
        int[] axes = new int[shape.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = axes.length - 1 - i;
        }
        INDArray array = stored.permute(axes).dup('c');
        stored.close();
        return array;
    }

    private static Header parseHeader(Path file, byte[] bytes) {
        if (bytes.length < 10 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new RedTestException(file + ": not a .npy file (bad magic bytes)");
        }
        int major = bytes[6] & 0xff;
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new RedTestException(file + ": truncated .npy header");
            }
            long length = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            if (length > bytes.length) {
                throw new RedTestException(file + ": truncated .npy header");
            }
            headerLength = (int) length;
            headerStart = 12;
        } else {
            throw new RedTestException(file + ": unsupported .npy format version " + major + "." + (bytes[7] & 0xff));
        }
        if ((long) headerStart + headerLength > bytes.length) {
            throw new RedTestException(file + ": truncated .npy header");
        }
        String text = new String(bytes, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Matcher descr = DESCR.matcher(text);
        if (!descr.find()) {
            throw new RedTestException(file + ": unsupported dtype (structured or missing 'descr' in header "
                    + text.strip() + ")");
        }
        String dtype = descr.group(1);
        int itemSize;
        ByteOrder order;
        switch (dtype) {
            case "<f2" -> { itemSize = 2; order = ByteOrder.LITTLE_ENDIAN; }
            case "<f4" -> { itemSize = 4; order = ByteOrder.LITTLE_ENDIAN; }
            case "<f8" -> { itemSize = 8; order = ByteOrder.LITTLE_ENDIAN; }
            case ">f2" -> { itemSize = 2; order = ByteOrder.BIG_ENDIAN; }
            case ">f4" -> { itemSize = 4; order = ByteOrder.BIG_ENDIAN; }
            case ">f8" -> { itemSize = 8; order = ByteOrder.BIG_ENDIAN; }
            default -> throw new RedTestException(file + ": unsupported dtype '" + dtype
                    + "' (supported: float16 '<f2'/'>f2', float32 '<f4'/'>f4', float64 '<f8'/'>f8'; "
                    + "convert others with numpy: np.save(path, a.astype(np.float32)))");
        }
        Matcher fortran = FORTRAN.matcher(text);
        Matcher shape = SHAPE.matcher(text);
        if (!fortran.find() || !shape.find()) {
            throw new RedTestException(file + ": malformed .npy header " + text.strip());
        }
        return new Header(order, itemSize, fortran.group(1).equals("True"), parseShape(file, shape.group(1)),
                headerStart + headerLength);
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat); every half is a float exactly. */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits >>> 15) << 31;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0) { // zero or subnormal: mantissa x 2^-24
            float v = mantissa * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exponent == 31) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    private static long[] parseShape(Path file, String tuple) {
        String[] parts = Arrays.stream(tuple.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toArray(String[]::new);
        long[] shape = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                // numpy on Windows once wrote "3L"
                shape[i] = Long.parseLong(parts[i].endsWith("L") ? parts[i].substring(0, parts[i].length() - 1) : parts[i]);
            } catch (NumberFormatException e) {
                throw new RedTestException(file + ": malformed shape (" + tuple + ") in .npy header");
            }
            if (shape[i] < 0) {
                throw new RedTestException(file + ": negative dimension in shape (" + tuple + ")");
            }
        }
        return shape;
    }

    private static long[] reversed(long[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[shape.length - 1 - i];
        }
        return out;
    }
}
