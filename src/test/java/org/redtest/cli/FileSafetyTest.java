package org.redtest.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.testing.CliRun;
import org.redtest.testing.DatabaseRows;
import org.redtest.testing.NpyFiles;
import org.redtest.testing.TinyCifarWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** Issue 25 item 3: PNGs are written as every other file (never through a link), and a row only once its files landed. */
class FileSafetyTest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(4, 23);

    @Test
    void aHeatmapNeverOverwritesTheFileALinkPointsTo() throws Exception {
        Path acts = Files.createDirectories(WORK.dir().resolve("acts"));
        Random r = new Random(1);
        for (int layer = 1; layer <= 2; layer++) {
            float[] v = new float[12 * 3];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            NpyFiles.writeFloat32(acts.resolve("layer" + layer + ".npy"), new long[]{12, 3}, v);
        }
        Path victim = WORK.dir().resolve("victim.txt");
        Files.writeString(victim, "not a png");
        Path png = Files.createSymbolicLink(WORK.dir().resolve("cka.png"), victim);
        CliRun.Result ok = run("similarity", "--activations", acts.toString(), "--plot", png.toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals("not a png", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(png));
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(Files.readAllBytes(png), 4));
    }

    @Test
    void noMeasurementRowWhenItsFilesCannotBeWritten() throws Exception {
        Path out = Files.createDirectories(WORK.dir().resolve("msrs-out"));
        Files.createDirectories(out.resolve("msrs-cka.png/in-the-way")); // the heatmap cannot replace a non-empty directory
        Path db = WORK.dir().resolve("m.db");
        CliRun.Result r = run("msrs", "--model", "resnet8", "--dataset", "cifar10", "--data-dir", WORK.cifar().toString(),
                "--batches", "1", "--batch-size", "4", "--out", out.toString(), "--db", db.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("msrs-cka.png"), r.err());
        List<String> table = DatabaseRows.query(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'measurements'");
        if (table.equals(List.of("1"))) {
            assertEquals(List.of("0"), DatabaseRows.query(db, "SELECT COUNT(*) FROM measurements"), "no row without its files");
        }
    }
}
