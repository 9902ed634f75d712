package org.redtest.similarity;

import org.redtest.testing.NpyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.redtest.RedTestException;
import org.redtest.engine.cpu.CpuAcceleration;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyReaderTest {
    static {
        CpuAcceleration.configure();
    }

    @TempDir
    Path dir;

    private static float[] ramp(int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = i * 0.25f - 3.1f;
        }
        return v;
    }

    @Test
    void readsFloat32MatrixInCOrder() throws Exception {
        float[] values = ramp(15);
        Path file = NpyFiles.writeFloat32(dir.resolve("a.npy"), new long[] {5, 3}, values);
        INDArray a = NpyReader.read(file);
        assertEquals(DataType.FLOAT, a.dataType());
        assertArrayEquals(new long[] {5, 3}, a.shape());
        assertEquals(values[1 * 3 + 2], a.getFloat(1, 2));
        assertArrayEquals(values, a.data().asFloat());
    }

    @Test
    void readsFloat64FourDimensionalArray() throws Exception {
        double[] values = new double[4 * 2 * 3 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.sin(i) * 1e-3 + i;
        }
        Path file = NpyFiles.writeFloat64(dir.resolve("b.npy"), new long[] {4, 2, 3, 3}, values);
        INDArray a = NpyReader.read(file);
        assertEquals(DataType.DOUBLE, a.dataType());
        assertArrayEquals(new long[] {4, 2, 3, 3}, a.shape());
        assertEquals(values[((3 * 2 + 1) * 3 + 2) * 3 + 0], a.getDouble(3, 1, 2, 0), 0.0);
        assertArrayEquals(values, a.data().asDouble(), 0.0);
    }

    @Test
    void readsVersion2BigEndianAndFortranOrder() throws Exception {
        // shape (2, 3) stored column by column: [[0, 1, 2], [10, 11, 12]]
        double[] columnMajor = {0, 10, 1, 11, 2, 12};
        ByteBuffer data = ByteBuffer.allocate(48).order(ByteOrder.BIG_ENDIAN);
        for (double v : columnMajor) {
            data.putDouble(v);
        }
        Path file = NpyFiles.write(dir.resolve("f.npy"), 2, ">f8", true, new long[] {2, 3}, data.array());
        INDArray a = NpyReader.read(file);
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(new double[][] {{0, 1, 2}, {10, 11, 12}}, a.toDoubleMatrix());
    }

    @Test
    void readsFloat16AsMixedPrecisionDumpsWriteIt() throws Exception {
        // half-precision bit patterns and the values numpy gives for them (np.frombuffer(..., '<f2'))
        short[] halves = {0x3C00, (short) 0xC000, 0x3800, 0x7BFF, 0x0001, 0x2E66, (short) 0x8000, 0x7C00};
        float[] expected = {1f, -2f, 0.5f, 65504f, 0x1p-24f, 0.0999755859375f, -0f, Float.POSITIVE_INFINITY};
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            ByteBuffer data = ByteBuffer.allocate(2 * halves.length).order(order);
            for (short h : halves) {
                data.putShort(h);
            }
            String descr = order == ByteOrder.LITTLE_ENDIAN ? "<f2" : ">f2";
            INDArray a = NpyReader.read(NpyFiles.write(dir.resolve("h" + descr.charAt(0) + ".npy"), 1, descr, false,
                    new long[] {2, 4}, data.array()));
            assertEquals(DataType.FLOAT, a.dataType(), "widened to float32");
            assertArrayEquals(new long[] {2, 4}, a.shape());
            assertArrayEquals(expected, a.data().asFloat(), descr);
        }
        assertTrue(Float.isNaN(NpyReader.halfToFloat((short) 0x7E00)));
    }

    @Test
    void truncatedFileIsReportedWithItsName() throws Exception {
        Path file = NpyFiles.writeFloat32(dir.resolve("cut.npy"), new long[] {5, 3}, ramp(15));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 7));
        RedTestException e = assertThrows(RedTestException.class, () -> NpyReader.read(file));
        assertTrue(e.getMessage().contains("cut.npy") && e.getMessage().contains("truncated"), e.getMessage());

        Files.write(file, Arrays.copyOf(bytes, 30)); // inside the header
        e = assertThrows(RedTestException.class, () -> NpyReader.read(file));
        assertTrue(e.getMessage().contains("cut.npy") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void unsupportedDtypeAndBadMagicAreReportedWithTheFileName() throws Exception {
        Path ints = NpyFiles.write(dir.resolve("ints.npy"), 1, "<i8", false, new long[] {2}, new byte[16]);
        RedTestException e = assertThrows(RedTestException.class, () -> NpyReader.read(ints));
        assertTrue(e.getMessage().contains("ints.npy") && e.getMessage().contains("'<i8'"), e.getMessage());

        Path objects = NpyFiles.write(dir.resolve("obj.npy"), 1, "|O", false, new long[] {2}, new byte[16]);
        e = assertThrows(RedTestException.class, () -> NpyReader.read(objects));
        assertTrue(e.getMessage().contains("obj.npy") && e.getMessage().contains("dtype"), e.getMessage());

        Path text = Files.writeString(dir.resolve("text.npy"), "this is not numpy data at all");
        e = assertThrows(RedTestException.class, () -> NpyReader.read(text));
        assertTrue(e.getMessage().contains("text.npy") && e.getMessage().contains("magic"), e.getMessage());
    }
}
