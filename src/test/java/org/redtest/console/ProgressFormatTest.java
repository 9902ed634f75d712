package org.redtest.console;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain (non-terminal) progress lines: their wording and when they are printed. */
class ProgressFormatTest {
    @Test
    void ratesHaveALeadingDigitAndSwitchToTimePerUnitWhenSlow() {
        assertEquals("0.3 batch/s", ProgressFormat.rate(0.3, "batch"));
        assertEquals("12.5 img/s", ProgressFormat.rate(12.46, "img"));
        assertEquals("351 img/s", ProgressFormat.rate(351.4, "img"));
        assertEquals("20.0 s/cand", ProgressFormat.rate(0.05, "cand"));
        assertEquals("8.3 min/cand", ProgressFormat.rate(1 / 500.0, "cand"));
        assertEquals("2.0 h/cand", ProgressFormat.rate(1 / 7200.0, "cand"));
    }

    @Test
    void clockShowsHoursMinutesSeconds() {
        assertEquals("0:00:00", ProgressFormat.clock(0.2));
        assertEquals("0:02:51", ProgressFormat.clock(171));
        assertEquals("27:46:40", ProgressFormat.clock(100_000));
    }

    @Test
    void linesWhileRunningAtTheEndAndWhenStopped() {
        assertEquals("epoch 3/150: 24/60 img (40%), 3.0 img/s, elapsed 0:00:08, ETA 0:00:12 | loss 0.4100",
                ProgressFormat.line("epoch 3/150", 24, 60, "img", 8, false, "loss 0.4100"));
        assertEquals("MSRS resnet20: 10/10 batch in 0:00:33, 0.3 batch/s",
                ProgressFormat.line("MSRS resnet20", 10, 10, "batch", 33.3, true, ""));
        assertEquals("search: stopped at 3/10 cand (30%) after 0:10:00, 3.3 min/cand",
                ProgressFormat.line("search", 3, 10, "cand", 600, true, null));
        // nothing done yet: no "?" rate or ETA
        assertEquals("search: stopped at 0/10 cand (0%) after 0:00:00",
                ProgressFormat.line("search", 0, 10, "cand", 0, true, null));
    }

    @Test
    void shortWorkPrintsOneFinalLineAndCloseIsIdempotent() {
        long[] now = {0};
        List<String> lines = new ArrayList<>();
        PlainProgressLines p = new PlainProgressLines("MSRS", 10, "batch", lines::add, () -> now[0]);
        for (int i = 0; i < 10; i++) {
            now[0] += 500_000_000L;
            p.step();
        }
        p.close();
        p.close();
        assertEquals(List.of("MSRS: 10/10 batch in 0:00:05, 2.0 batch/s"), lines);
    }

    @Test
    void longWorkPrintsAtNewTenthsAtMostEvery30Seconds() {
        long[] now = {0};
        List<String> lines = new ArrayList<>();
        PlainProgressLines p = new PlainProgressLines("epoch 1/2", 100, "img", lines::add, () -> now[0]);
        p.setExtraMessage("loss 2.3000");
        for (int i = 0; i < 100; i++) {
            now[0] += 2_000_000_000L; // 2 s per image: 200 s in all
            p.step();
        }
        p.close();
        // at 15 (30 s), 30 (60 s), 45, 60, 75 and 90 images, then the final line
        assertEquals(7, lines.size(), String.join("\n", lines));
        assertEquals("epoch 1/2: 15/100 img (15%), 0.5 img/s, elapsed 0:00:30, ETA 0:02:50 | loss 2.3000", lines.get(0));
        assertEquals("epoch 1/2: 100/100 img in 0:03:20, 0.5 img/s | loss 2.3000", lines.get(6));
        assertTrue(lines.stream().noneMatch(l -> l.contains("?")));
        assertFalse(lines.subList(0, 6).stream().anyMatch(l -> l.contains("100%")), "100% only once, in the final line");
    }
}
