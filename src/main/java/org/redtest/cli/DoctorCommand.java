package org.redtest.cli;

import org.redtest.doctor.Doctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check what this machine can run: the CPU engine, the GPU engine and a checked training step on each.",
                "Reports versions, the CPU engine's oneDNN helpers and fast path, the GPU (name, compute capability, "
                        + "driver, CUDA runtime, cuDNN and cuBLAS versions) or why there is none, and one training "
                        + "step of a tiny ResNet and NATS cell on each engine checked against DL4J's plain layer code.",
                "Exit code 0 when no check failed, 1 when one did, 4 when a GPU was asked for (--device cuda, "
                        + "-Dredtest.device=cuda) and there is none."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest doctor",
                "  bin/redtest doctor --json",
                "  bin/redtest doctor --device cuda"})
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Doctor.Report report = Doctor.examine();
        PrintWriter out = spec.commandLine().getOut();
        if (json.requested) {
            java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("healthy", report.healthy());
            json.put("device_unavailable", report.deviceUnavailable());
            json.put("versions", report.versions());
            json.put("gpus", report.gpus());
            json.put("checks", report.checks());
            out.println(Console.json(json));
        } else {
            report.versions().forEach((k, v) -> out.printf("%-16s %s%n", k, v));
            out.println();
            for (Doctor.Check c : report.checks()) {
                out.printf("%-5s %-14s %s%n", c.verdict(), c.name(), c.detail());
            }
            long failed = report.checks().stream().filter(c -> c.verdict() == Doctor.Verdict.FAIL).count();
            out.println(report.deviceUnavailable() ? "verdict: the device asked for is not available (" + failed
                    + " check(s) FAILED)" : failed == 0 ? "verdict: ready (no check failed)"
                    : "verdict: " + failed + " check(s) FAILED");
        }
        out.flush();
        return report.deviceUnavailable() ? RedTestCli.EXIT_NO_DEVICE : report.healthy() ? 0 : RedTestCli.EXIT_INPUT;
    }
}
