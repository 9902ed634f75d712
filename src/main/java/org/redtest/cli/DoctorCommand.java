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
        description = {"Check what this machine's DL4J can do: backend, GPUs, layer helpers and a checked training step.",
                "Reports the backend and versions, the GPUs and whether the loaded CUDA natives carry code for them, "
                        + "the active layer helpers, and one training step of a tiny ResNet and NATS cell checked "
                        + "against DL4J's plain layer code.",
                "Exit code 0 when no check failed, 1 otherwise."},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest doctor",
                "  bin/redtest doctor --json"})
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
            out.println(failed == 0 ? "verdict: ready (no check failed)" : "verdict: " + failed + " check(s) FAILED");
        }
        out.flush();
        return report.healthy() ? 0 : 1;
    }
}
