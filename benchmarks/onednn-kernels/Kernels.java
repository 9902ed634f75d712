import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The oneDNN convolution kernels a CIFAR ResNet's training step spends most of its time in, timed
 * alone: the three 3x3 stride-1 shapes of ResNet-20/56 at one batch size, each pass (forward
 * training, backward data, backward weights) in three activation layouts: the one oneDNN picks
 * itself ("any"), the channel-blocked one our training path keeps (nChw16c or nChw8c, whichever the
 * free choice gave for that shape), and nhwc. Weights are in the layout oneDNN picks for each pass.
 *
 * <p>The same harness runs against two versions of oneDNN through JavaCPP's presets; only the
 * primitive creation differs between their C APIs ({@link Api}, implemented by Dnnl2 for 2.x and
 * Dnnl3 for 3.x; the calls both versions have alike are in Calls, compiled with each). benchmarks/onednn-kernels.sh
 * builds and runs both, alternating, in one run.
 */
public final class Kernels {
    /** One primitive ready to run on its own buffers, with oneDNN's name for the kernel it picked. */
    public interface Pass {
        void run();

        String impl();
    }

    /** The version-specific part: build one pass of a 3x3/s1/p1 convolution, activations in {@code layout}. */
    public interface Api {
        String version();

        /** {@code layout}: "any", "blocked" (oneDNN's channel block for this CPU) or "nhwc". */
        Pass convolution(String pass, long[] src, long[] weights, long[] dst, String layout);
    }

    private static final String[] PASSES = {"forward", "backward-data", "backward-weights"};
    private static final String[] LAYOUTS = {"any", "blocked", "nhwc"};

    public static void run(Api api, String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long[][] shapes = {{16, 32}, {32, 16}, {64, 8}}; // channels, height = width
        List<String> rows = new ArrayList<>();
        for (long[] s : shapes) {
            long c = s[0];
            long hw = s[1];
            long[] act = {batch, c, hw, hw};
            long[] w = {c, c, 3, 3};
            double gflop = 2.0 * batch * c * c * 9 * hw * hw / 1e9;
            for (String layout : LAYOUTS) {
                for (String pass : PASSES) {
                    Pass p = api.convolution(pass, act, w, act, layout);
                    double ms = medianMillis(p, reps);
                    rows.add(String.format(Locale.ROOT, "%-6s %-22s %-8s %-17s %9.3f %9.1f  %s", api.version(),
                            "mb" + batch + " c" + c + " " + hw + "x" + hw, layout, pass, ms, gflop / (ms / 1e3), p.impl()));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-6s %-22s %-8s %-17s %9s %9s  %s%n", "oneDNN", "shape", "layout", "pass", "ms",
                "GFLOP/s", "kernel");
        rows.forEach(System.out::println);
    }

    private static double medianMillis(Pass p, int reps) {
        for (int i = 0; i < 3; i++) {
            p.run();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            p.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    private Kernels() {
    }
}
