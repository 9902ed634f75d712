package org.redtest.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.testing.CliRun;
import org.redtest.testing.TinyCifarWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redtest.testing.CliRun.run;

/**
 * Issue 25 item 4: a resnet8 model.zip copied into a resnet:1-1-2 run directory is refused by every command that
 * loads a checkpoint (run did already), never evaluated or measured under the wrong name.
 */
class CheckpointIdentityTest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(4, 29);

    @Test
    void aCheckpointOfAnotherModelIsRefusedByEvaluateMsrsAndPrune() throws Exception {
        Path out = WORK.dir().resolve("out");
        CliRun.Result trained = run("train", "--model", "resnet8", "--dataset", "cifar10", "--data-dir", WORK.cifar().toString(),
                "--epochs", "1", "--batch-size", "10", "--name", "r8", "--output-dir", out.toString());
        assertEquals(0, trained.exitCode(), trained.err());
        Path other = Files.createDirectories(out.resolve("r112"));
        Files.copy(out.resolve("r8/model.zip"), other.resolve("model.zip"));
        String json = Files.readString(out.resolve("r8/run.json"));
        assertTrue(json.contains("\"resnet8\""), json);
        Files.writeString(other.resolve("run.json"), json.replace("\"resnet8\"", "\"resnet:1-1-2\"").replace("\"r8\"", "\"r112\""));
        Path checkpoint = other.resolve("model.zip");
        String refusal = "checkpoint " + checkpoint + " holds a model with ";
        Path db = WORK.dir().resolve("other.db");
        for (String[] command : new String[][]{
                {"evaluate", "--checkpoint", checkpoint.toString(), "--db", db.toString()},
                {"msrs", "--checkpoint", checkpoint.toString(), "--batches", "1", "--batch-size", "4", "--db", db.toString()},
                {"prune", "--checkpoint", checkpoint.toString(), "--keep", "3", "--db", db.toString()}}) {
            CliRun.Result r = run(command);
            assertEquals(1, r.exitCode(), command[0] + ": " + r.err());
            assertTrue(r.err().contains(refusal) && r.err().contains("but resnet:1-1-2 has"), command[0] + ": " + r.err());
        }
        assertFalse(Files.exists(other.resolve("msrs-cka.png")), "nothing measured under the wrong name");
    }
}
