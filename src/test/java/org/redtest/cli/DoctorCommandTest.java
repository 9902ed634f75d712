package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.redtest.engine.Device;
import org.redtest.engine.DeviceUnavailableException;
import org.redtest.engine.Engines;
import org.redtest.testing.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorCommandTest {
    @Test
    void textReportEndsWithAVerdict() {
        CliRun.Result r = CliRun.run("doctor");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("nd4j_backend     CPU"), r.out());
        assertTrue(r.out().contains("INFO  gpu            no GPU engine here: libcuda.so.1 not found"), r.out());
        assertTrue(r.out().strip().endsWith("verdict: ready (no check failed)"), r.out());
    }

    @Test
    void jsonReportListsChecksAndNoGpus() throws Exception {
        CliRun.Result r = CliRun.run("doctor", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("CPU", json.get("versions").get("nd4j_backend").asText());
        assertEquals(0, json.get("gpus").size());
        assertTrue(json.get("checks").size() >= 5);
        assertTrue(json.get("healthy").asBoolean());
    }

    @AfterEach
    void forgetTheDevice() {
        Engines.clearChoice();
    }

    @Test
    void aGpuAskedForWhereThereIsNoneIsAFailedCheckAndExitCodeFour() {
        assumeNoGpu();
        CliRun.Result r = CliRun.run("--device", "cuda", "doctor");
        assertEquals(RedTestCli.EXIT_NO_DEVICE, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("OK    step resnet"), "the CPU checks still run: " + r.out());
        assertTrue(r.out().contains("FAIL  gpu            no GPU engine here"), r.out());
        assertTrue(r.out().strip().endsWith("verdict: the device asked for is not available (1 check(s) FAILED)"), r.out());
    }

    @Test
    void anyCommandOnAMissingGpuStopsAtOnceWithOneLineAndExitCodeFour() {
        assumeNoGpu();
        CliRun.Result r = CliRun.run("--device", "cuda", "info", "--model", "resnet8");
        assertEquals(RedTestCli.EXIT_NO_DEVICE, r.exitCode(), r.out() + r.err());
        assertEquals("", r.out());
        assertTrue(r.err().strip().startsWith("redtest: error: no GPU engine here: ") && r.err().strip().lines().count() == 1,
                r.err());
    }

    private static void assumeNoGpu() {
        try {
            Engines.of(Device.CUDA);
            Assumptions.abort("a GPU engine opens on this machine");
        } catch (DeviceUnavailableException expected) {
            // the case under test
        }
    }
}
