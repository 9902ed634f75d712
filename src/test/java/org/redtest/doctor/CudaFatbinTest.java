package org.redtest.doctor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fat-binary reader on small ELF files written here, laid out as nvcc lays them out. */
class CudaFatbinTest {
    @TempDir
    Path dir;

    @Test
    void readsSassAndPtxArchitecturesFromTheFatbinSection() throws IOException {
        // two fat binaries with padding between them, as in libnd4jcuda.so (which has sm_37 .. sm_86, no PTX)
        byte[] section = concat(fatbin(new int[][]{{2, 80}, {2, 86}}), new byte[8], fatbin(new int[][]{{2, 70}, {1, 75}}));
        Path lib = elf(section);
        CudaFatbin.Code code = CudaFatbin.read(lib);
        assertEquals(Set.of(70, 80, 86), code.sass());
        assertEquals(Set.of(75), code.ptx());
        assertTrue(code.runsOn(8, 6), "SASS sm_86");
        assertTrue(code.runsOn(8, 9), "sm_86 SASS runs on 8.9 (same major, higher minor)");
        assertTrue(code.runsOn(9, 0), "PTX sm_75 is JIT-compiled for newer GPUs");
        assertFalse(code.runsOn(6, 1), "nothing for Pascal");
    }

    @Test
    void withoutPtxAHopperGpuHasNoKernelImage() throws IOException {
        CudaFatbin.Code code = CudaFatbin.read(elf(fatbin(new int[][]{{2, 37}, {2, 60}, {2, 80}, {2, 86}})));
        assertTrue(code.ptx().isEmpty());
        assertFalse(code.runsOn(9, 0), "an H100/H200 (sm_90) cannot run sm_80/86 SASS");
        assertTrue(code.describe().contains("sm_86"), code.describe());
    }

    @Test
    void aFileThatIsNotElfIsRefused() throws IOException {
        Path junk = dir.resolve("junk.so");
        Files.write(junk, new byte[128]);
        assertThrows(IOException.class, () -> CudaFatbin.read(junk));
    }

    /** A fat binary: 16-byte header, then per entry a 64-byte entry header and 32 bytes of payload. */
    private static byte[] fatbin(int[][] kindAndArch) {
        int entry = 64 + 32;
        ByteBuffer b = ByteBuffer.allocate(16 + entry * kindAndArch.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xBA55ED50).putShort((short) 1).putShort((short) 16).putLong((long) entry * kindAndArch.length);
        for (int[] e : kindAndArch) {
            int start = b.position();
            b.putShort((short) e[0]).putShort((short) 0x101).putInt(64).putLong(32);
            b.position(start + 28);
            b.putInt(e[1]);
            b.position(start + entry);
        }
        return b.array();
    }

    /** A minimal 64-bit ELF: header, .shstrtab, .nv_fatbin, and a section table of three entries. */
    private Path elf(byte[] fatbinSection) throws IOException {
        byte[] names = "\0.shstrtab\0.nv_fatbin\0".getBytes(StandardCharsets.US_ASCII);
        int namesOffset = 64;
        int fatOffset = namesOffset + names.length;
        int tableOffset = fatOffset + fatbinSection.length;
        ByteBuffer b = ByteBuffer.allocate(tableOffset + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x464C457F).put((byte) 2).put((byte) 1).put((byte) 1);
        b.putLong(0x28, tableOffset).putShort(0x3A, (short) 64).putShort(0x3C, (short) 3).putShort(0x3E, (short) 1);
        b.put(namesOffset, names);
        b.put(fatOffset, fatbinSection);
        section(b, tableOffset + 64, 1, namesOffset, names.length);   // .shstrtab (name at offset 1)
        section(b, tableOffset + 128, 11, fatOffset, fatbinSection.length); // .nv_fatbin (name at offset 11)
        Path file = dir.resolve("lib.so");
        Files.write(file, b.array());
        return file;
    }

    private static void section(ByteBuffer b, int at, int name, long offset, long size) {
        b.putInt(at, name).putLong(at + 0x18, offset).putLong(at + 0x20, size);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
