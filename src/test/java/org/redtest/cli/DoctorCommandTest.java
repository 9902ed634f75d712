package org.redtest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.redtest.testing.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorCommandTest {
    @Test
    void textReportEndsWithAVerdict() {
        CliRun.Result r = CliRun.run("doctor");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("nd4j_backend     CPU"), r.out());
        assertTrue(r.out().contains("no GPU in use"), r.out());
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
}
