package org.redtest.doctor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which GPU architectures a CUDA shared library carries code for, read from its {@code .nv_fatbin}
 * ELF section without NVIDIA's tools: each embedded fat binary lists entries of kind ELF (SASS, runs
 * only on that compute capability's major version at or above its minor) or PTX (compiled by the
 * driver for any newer GPU). A GPU whose architecture has neither cannot run the library's kernels
 * ("no kernel image is available for execution on the device").
 */
public final class CudaFatbin {
    private static final int FATBIN_MAGIC = 0xBA55ED50;
    private static final int KIND_PTX = 1;
    private static final int KIND_ELF = 2;

    /** SASS and PTX architectures as compute capabilities times ten (86 = sm_86). */
    public record Code(Set<Integer> sass, Set<Integer> ptx) {
        /** True when a GPU of compute capability {@code major.minor} can run this code. */
        public boolean runsOn(int major, int minor) {
            int cc = 10 * major + minor;
            boolean binary = sass.stream().anyMatch(a -> a / 10 == major && a % 10 <= minor);
            boolean jit = ptx.stream().anyMatch(a -> a <= cc);
            return binary || jit;
        }

        public String describe() {
            return "SASS for " + (sass.isEmpty() ? "none" : names(sass)) + "; PTX for "
                    + (ptx.isEmpty() ? "none" : names(ptx));
        }

        private static String names(Set<Integer> archs) {
            return String.join(", ", archs.stream().map(a -> "sm_" + a).toList());
        }
    }

    private CudaFatbin() {
    }

    public static Code read(Path library) throws IOException {
        try (FileChannel ch = FileChannel.open(library, StandardOpenOption.READ)) {
            ByteBuffer header = read(ch, 0, 64);
            if (header.getInt(0) != 0x464C457F || header.get(4) != 2) {
                throw new IOException(library + " is not a 64-bit ELF file");
            }
            long sectionTable = header.getLong(0x28);
            int entrySize = Short.toUnsignedInt(header.getShort(0x3A));
            int count = Short.toUnsignedInt(header.getShort(0x3C));
            int namesIndex = Short.toUnsignedInt(header.getShort(0x3E));
            ByteBuffer sections = read(ch, sectionTable, entrySize * count);
            long namesOffset = sections.getLong(namesIndex * entrySize + 0x18);
            long namesSize = sections.getLong(namesIndex * entrySize + 0x20);
            ByteBuffer names = read(ch, namesOffset, (int) namesSize);
            for (int i = 0; i < count; i++) {
                int base = i * entrySize;
                if (".nv_fatbin".equals(name(names, sections.getInt(base)))) {
                    return fatbins(ch, sections.getLong(base + 0x18), sections.getLong(base + 0x20));
                }
            }
            return new Code(Set.of(), Set.of());
        }
    }

    /** Walks the fat binaries of a section, reading only their headers. */
    private static Code fatbins(FileChannel ch, long offset, long size) throws IOException {
        Set<Integer> sass = new TreeSet<>();
        Set<Integer> ptx = new TreeSet<>();
        long pos = offset;
        long end = offset + size;
        while (pos + 16 <= end) {
            ByteBuffer h = read(ch, pos, 16);
            if (h.getInt(0) != FATBIN_MAGIC) {
                pos += 8; // fat binaries are 8-byte aligned with padding between them
                continue;
            }
            int headerSize = Short.toUnsignedInt(h.getShort(6));
            long fatSize = h.getLong(8);
            long p = pos + headerSize;
            long fatEnd = Math.min(end, p + fatSize);
            while (p + 32 <= fatEnd) {
                ByteBuffer e = read(ch, p, 32);
                int kind = Short.toUnsignedInt(e.getShort(0));
                long entryHeader = Integer.toUnsignedLong(e.getInt(4));
                long entrySize = e.getLong(8);
                int arch = e.getInt(28);
                if (kind == KIND_ELF) {
                    sass.add(arch);
                } else if (kind == KIND_PTX) {
                    ptx.add(arch);
                }
                if (entryHeader == 0) {
                    break;
                }
                p += entryHeader + entrySize;
            }
            pos = pos + headerSize + fatSize;
        }
        return new Code(sass, ptx);
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file at " + (position + b.position()));
            }
        }
        return b.flip();
    }

    private static String name(ByteBuffer names, int start) {
        int end = start;
        while (end < names.limit() && names.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        names.get(start, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
