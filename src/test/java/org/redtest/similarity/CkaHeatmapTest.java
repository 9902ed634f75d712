package org.redtest.similarity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CkaHeatmapTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    /** A block-structured matrix like a ResNet's: high CKA within a stage, low across. */
    static CkaMatrix blocks(int m, int nanUnit) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            names.add(i == 0 ? "stem" : "block" + i);
        }
        double[][] v = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                boolean sameStage = (i * 3 / m) == (j * 3 / m);
                v[i][j] = i == j ? 1 : (sameStage ? 0.95 : 0.6) - 0.01 * Math.abs(i - j);
            }
        }
        List<String> constant = new ArrayList<>();
        if (nanUnit >= 0) {
            for (int k = 0; k < m; k++) {
                v[nanUnit][k] = Double.NaN;
                v[k][nanUnit] = Double.NaN;
            }
            constant.add(names.get(nanUnit));
        }
        return new CkaMatrix(names, v, constant, 256);
    }

    @Test
    void writesAPngIntoNewDirectories() throws Exception {
        Path png = dir.resolve("plots/nested/resnet20.png");
        CkaHeatmap.write(blocks(10, 4), "ResNet-20, MSRS 12.3", png);
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8));
    }

    @Test
    void theGapsOfAPrunedMapAreBlankAndCellTextReadsOnEveryColour() throws Exception {
        CkaMatrix m = blocks(6, -1);
        java.awt.image.BufferedImage plain = CkaHeatmap.draw(m, "t", CkaHeatmap.Marks.NONE);
        java.awt.image.BufferedImage gapped = CkaHeatmap.draw(m, "t", new CkaHeatmap.Marks(0.8, java.util.Set.of(),
                java.util.Set.of("block2"), null));
        assertTrue(countColour(gapped, new java.awt.Color(0xf4, 0xf4, 0xf4)) > countColour(plain, new java.awt.Color(0xf4, 0xf4, 0xf4)) + 100,
                "a dropped unit's row and column are blank");
        assertEquals(java.awt.Color.WHITE, CkaHeatmap.readableOn(CkaHeatmap.colour(0.0)), "white text on dark purple");
        assertEquals(java.awt.Color.BLACK, CkaHeatmap.readableOn(CkaHeatmap.colour(1.0)), "black text on yellow");
        java.awt.image.BufferedImage marked = CkaHeatmap.draw(m, "t", new CkaHeatmap.Marks(0.8, java.util.Set.of("block2"),
                java.util.Set.of(), null));
        java.awt.Color red = new java.awt.Color(0xc0, 0x39, 0x2b);
        assertTrue(countColour(marked, red) > countColour(plain, red) + 100, "a dropped unit outlined in red");
    }

    @Test
    void aPrunedMatrixIsPlacedOnTheOriginalsGrid() {
        CkaMatrix pruned = new CkaMatrix(List.of("stem", "s1.b3"), new double[][] {{1, 0.4}, {0.4, 1}}, List.of(), 64);
        CkaMatrix placed = pruned.onGrid(List.of("stem", "s1.b2", "s1.b3"));
        assertEquals(List.of("stem", "s1.b2", "s1.b3"), placed.names());
        assertEquals(0.4, placed.get(0, 2));
        assertTrue(Double.isNaN(placed.get(1, 1)) && Double.isNaN(placed.get(0, 1)), "the dropped unit is a gap");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> pruned.onGrid(List.of("stem")));
    }

    private static int countColour(java.awt.image.BufferedImage image, java.awt.Color colour) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (colour.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void manyUnitsGetSparseLabels() throws Exception {
        Path png = dir.resolve("big.png");
        CkaHeatmap.write(blocks(200, -1), "200 units", png);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(Files.readAllBytes(png), 8));

        List<String> labels = CkaHeatmap.tickLabels(List.of("a", "b", "c", "d", "e"), 2);
        assertEquals("a", labels.get(0));
        assertEquals("d", labels.get(3));
        assertTrue(labels.get(1).isBlank() && labels.get(2).isBlank());
    }
}
