package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redtest.RedTestException;
import org.redtest.testing.CliRun;
import org.redtest.testing.NpyFiles;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/** The command-line conveniences of issue 29: each one as a new user meets it. */
class CliConveniencesTest {
    @TempDir
    Path dir;

    private static void assertOneLine(CliRun.Result r, int exit, String part) {
        assertEquals(exit, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(part), "'" + part + "' in: " + r.err());
    }

    @Test
    void misspeltOptionsAndCommandsGetADidYouMean() {
        assertOneLine(run("runn", "configs/quickstart.yaml"), 2, "unknown command 'runn' (did you mean run");
        CliRun.Result option = run("msrs", "--checkpont", "checkpoints/quickstart/model.zip");
        assertOneLine(option, 2, "unknown option '--checkpont' (did you mean --checkpoint?)");
        assertFalse(option.err().contains("model.zip"), "the option's value is not called an unknown option: " + option.err());
        assertOneLine(run("info", "--modle", "resnet20"), 2, "unknown option '--modle' (did you mean --model?)");
    }

    @Test
    void aRunDirectoryIsAcceptedWhereACheckpointIsAsked() throws Exception {
        Path run = Files.createDirectories(dir.resolve("quickstart"));
        assertOneLine(run("evaluate", "--checkpoint", run.toString()), 1, "no model.zip in " + run);
        Path model = Files.writeString(run.resolve("model.zip"), "not read here");
        assertEquals(model, CheckpointPath.resolve(run));
        assertEquals(model, CheckpointPath.resolve(model));
        RedTestException missing = assertThrows(RedTestException.class, () -> CheckpointPath.resolve(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("the run directory"), missing.getMessage());
    }

    @Test
    void torchvisionNamesAreExplained() {
        CliRun.Result r50 = run("info", "--model", "resnet50");
        assertEquals(0, r50.exitCode(), r50.err());
        assertTrue(r50.out().contains("not torchvision's ImageNet ResNets"), r50.out());
        assertFalse(run("info", "--model", "resnet56").out().contains("torchvision"), "resnet56 needs no note");
        assertOneLine(run("info", "--model", "resnet18"), 1, "CIFAR ResNets of He et al.");
        assertTrue(run("info", "--help").out().replaceAll("\\s+", " ").contains("resnet50 has 0.76 M parameters"),
                "the help lists the model specs");
    }

    @Test
    void typeErrorsInExperimentFilesAreSaidInOurWords() throws Exception {
        Path f = Files.writeString(dir.resolve("four.yaml"), "name: four\nmodel: resnet8\ntraining:\n  epochs: four\n");
        CliRun.Result r = run("run", f.toString());
        assertOneLine(r, 1, "invalid value for 'training.epochs' in " + f + " (line 4): a whole number is required, got 'four'");
        assertFalse(r.err().contains("java.lang") || r.err().contains("deserialize"), r.err());
        Path list = Files.writeString(dir.resolve("list.yaml"), "name: l\nmodel: resnet8\nstages: train\n");
        assertOneLine(run("run", list.toString()), 1, "'stages' in " + list + " (line 3): a list, e.g. [a, b] is required");
    }

    @Test
    void similarityReadsFloat16AndListsThePairsAboveGamma() throws Exception {
        Path acts = Files.createDirectories(dir.resolve("acts"));
        Random random = new Random(3);
        int n = 64;
        float[] base = new float[n * 4];
        for (int i = 0; i < base.length; i++) {
            base[i] = (float) random.nextGaussian();
        }
        for (int layer = 0; layer < 3; layer++) {
            ByteBuffer halves = ByteBuffer.allocate(2 * base.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : base) { // layers 0 and 1 alike, layer 2 noise
                halves.putShort(toHalf(layer < 2 ? v + 0.01f * layer : (float) random.nextGaussian()));
            }
            NpyFiles.write(acts.resolve("layer" + layer + ".npy"), 1, "<f2", false, new long[] {n, 4}, halves.array());
        }
        CliRun.Result r = run("similarity", "--activations", acts.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).contains("1 of 3 pairs have CKA above gamma"), r.out());
        assertTrue(lines.get(1).matches(" +layer0 +layer1 +CKA (0\\.9\\d\\d|1\\.000)"), r.out());
        JsonNode json = Console.JSON.readTree(run("similarity", "--activations", acts.toString(), "--json").out());
        assertEquals("layer1", json.at("/pairs_above_gamma/0/second").asText());

        CliRun.Result csv = run("similarity", "--activations", acts.toString(), "--csv");
        List<String> rows = csv.out().lines().toList();
        assertEquals("layer,layer0,layer1,layer2", rows.get(0));
        assertEquals(4, rows.size(), csv.out());
        assertTrue(rows.get(1).startsWith("layer0,1.0,0.9"), rows.get(1));
    }

    @Test
    void reRunsCanBeAskedToTimeAgain() {
        assertTrue(run("run", "--help").out().contains("--retime"));
        assertTrue(run("prune", "--help").out().contains("--retime"));
    }

    /** float to IEEE half, round to nearest (enough for test data in the normal range). */
    private static short toHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        int mantissa = bits & 0x7fffff;
        if (exponent <= 0) {
            return (short) sign;
        }
        int half = sign | (exponent << 10) | (mantissa >>> 13);
        return (short) (half + ((mantissa >>> 12) & 1));
    }
}
