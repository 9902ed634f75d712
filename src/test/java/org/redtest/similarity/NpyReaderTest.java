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
