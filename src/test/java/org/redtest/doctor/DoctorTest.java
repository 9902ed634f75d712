package org.redtest.doctor;

import org.junit.jupiter.api.Test;
import org.redtest.engine.cpu.CpuAcceleration;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorTest {
    static {
        CpuAcceleration.configure();
    }

    @Test
    void onTheCpuBuildItReportsTheCpuPathAndNoGpu() {
        Doctor.Report report = Doctor.examine();
        Map<String, Doctor.Check> checks = report.checks().stream()
                .collect(Collectors.toMap(Doctor.Check::name, Function.identity(), (a, b) -> a));
        assertEquals("CPU", report.versions().get("nd4j_backend"));
        assertEquals(Doctor.Verdict.OK, checks.get("backend").verdict());
        assertEquals(Doctor.Verdict.INFO, checks.get("gpu").verdict());
        assertTrue(checks.get("gpu").detail().contains("no GPU"), checks.get("gpu").detail());
        assertTrue(report.gpus().isEmpty());
        assertEquals(Doctor.Verdict.OK, checks.get("cpu helpers").verdict(), checks.get("cpu helpers").detail());
        assertEquals(Doctor.Verdict.OK, checks.get("fast cpu path").verdict(), checks.get("fast cpu path").detail());
        assertEquals(Doctor.Verdict.OK, checks.get("step resnet").verdict(), checks.get("step resnet").detail());
        assertEquals(Doctor.Verdict.OK, checks.get("step nats").verdict(), checks.get("step nats").detail());
        assertTrue(report.healthy());
    }
}
