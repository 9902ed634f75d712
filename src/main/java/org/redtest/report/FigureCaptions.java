package org.redtest.report;

import java.nio.file.Path;

/** A caption in words for a figure RedTest writes, from its file name (a file path says little to a reader). */
final class FigureCaptions {
    private FigureCaptions() {
    }

    /** @param relative the PNG's path inside the report's directory */
    static String of(Path relative) {
        String file = relative.getFileName().toString();
        Path parent = relative.getParent();
        // a figure of a sub-run (a suite's resnet20/) names its run; the suite's own figures/ folder says nothing
        String owner = parent == null || parent.getFileName().toString().equals("figures") ? ""
                : parent.getFileName().toString() + ": ";
        if (file.endsWith("-cka-before.png")) {
            return file.substring(0, file.length() - "-cka-before.png".length()) + ": CKA between units before pruning.";
        }
        if (file.endsWith("-cka-after.png")) {
            return file.substring(0, file.length() - "-cka-after.png".length()) + ": CKA between units after CKA-guided pruning.";
        }
        if (file.matches("nas-scatter-seed\\d+\\.png")) {
            return "Architecture search with seed " + file.replaceAll("\\D", "") + ": test top-1 against MSRS by reward.";
        }
        return switch (file) {
            case "measure-cka.png", "msrs-cka.png" -> owner + "CKA between all units (mean over the measurement batches).";
            case "msrs-during-training.png" -> owner + "MSRS and test top-1 during training.";
            case "msrs-vs-depth.png", "expected-msrs.png" -> owner + "MSRS against depth, with the expected-MSRS fits.";
            case "nas-scatter.png", "search-scatter.png" -> owner + "Architecture search: test top-1 against MSRS by reward.";
            default -> relative.toString();
        };
    }
}
