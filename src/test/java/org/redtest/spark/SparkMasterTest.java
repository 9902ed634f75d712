package org.redtest.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redtest.RedTestException;
import org.redtest.config.SparkConfig;
import org.redtest.testing.CliRun;
import org.redtest.testing.TinyCifarWorkspace;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 25 item 6: a Spark master that is malformed or cannot be reached is one line naming the master and the
 * cause, in seconds (Spark took 70 s, then failed with an internal error about a stopped SparkContext).
 */
class SparkMasterTest {
    @RegisterExtension
    static final TinyCifarWorkspace WORK = new TinyCifarWorkspace(4, 31);

    @Test
    void theCommandLineSaysOneLineAndExitsOne() throws Exception {
        Path suite = WORK.dir().resolve("suite.yaml");
        Files.writeString(suite, "tier: cpu\nname: sp\noutput_dir: " + WORK.dir().resolve("suites") + "\ndata: {dataset: "
                + "cifar10, dir: " + WORK.cifar() + "}\ntraining: {epochs: 1, batch_size: 10}\nmeasure: {batches: 1, "
                + "batch_size: 4}\ndepth: [resnet8]\n");
        long start = System.nanoTime();
        CliRun.Result r = CliRun.run("bench", "paper", "--tier", "cpu", "--suite", suite.toString(), "--engine", "spark",
                "--master", "spark://nohost.invalid:7077");
        assertTrue(System.nanoTime() - start < 30e9, "in seconds, not after Spark's minute of retries");
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("redtest: error: cannot reach Spark master spark://nohost.invalid:7077: unknown host nohost.invalid",
                r.err().strip());
    }
    private static String refusal(String master) {
        long start = System.nanoTime();
        RedTestException e = assertThrows(RedTestException.class,
                () -> SparkRuntime.open(SparkConfig.defaults().withMaster(master), "test").close());
        assertTrue(System.nanoTime() - start < 15e9, "within seconds: " + master);
        assertEquals(1, e.getMessage().lines().count());
        return e.getMessage();
    }

    @Test
    void anUnreachableStandaloneMasterIsOneLineInSeconds() throws Exception {
        String unknown = refusal("spark://nohost.invalid:7077");
        assertEquals("cannot reach Spark master spark://nohost.invalid:7077: unknown host nohost.invalid", unknown);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String refused = refusal("spark://127.0.0.1:" + closedPort);
        assertTrue(refused.startsWith("cannot reach Spark master spark://127.0.0.1:" + closedPort + ": connection to "
                + "127.0.0.1:" + closedPort + " refused"), refused);
    }

    @Test
    void malformedMastersAreRefusedBeforeSparkStarts() {
        assertTrue(refusal("garbage://x").startsWith("Spark master 'garbage://x' is not a master URL"));
        assertTrue(refusal("local[0]").startsWith("Spark master 'local[0]' asks for 0 threads"));
        assertTrue(refusal("spark://hostonly").contains("'hostonly' is not HOST:PORT"));
        for (String good : new String[]{"local", "local[2]", "local[*]", "local[2,3]", "yarn", "k8s://https://h:6443"}) {
            assertDoesNotThrow(() -> SparkMaster.check(good, Duration.ofSeconds(1)), good);
        }
    }
}
