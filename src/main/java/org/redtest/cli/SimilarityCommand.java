package org.redtest.cli;

import org.redtest.config.MeasureConfig;
import org.redtest.similarity.ActivationDirectory;
import org.redtest.similarity.CkaHeatmap;
import org.redtest.similarity.CkaMatrix;
import org.redtest.similarity.Msrs;
import org.redtest.similarity.UnbiasedCka;
import org.redtest.storage.JsonNumbers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "similarity", mixinStandardHelpOptions = true,
        description = {"Unbiased CKA and MSRS of activations saved by any framework, or two models' units compared.",
                "--activations DIR: each .npy file holds float16, float32 or float64 activations of n x d or "
                        + "n x C x H x W (pooled over H and W); layers are ordered by file name. Prints MSRS and the "
                        + "layer pairs whose CKA exceeds gamma (those MSRS counts), most alike first; --csv prints the "
                        + "CKA matrix instead (a 'layer' column, then one column per layer).",
                "MODEL --against MODEL: the CKA of every unit of one model (an .onnx file or a checkpoint model.zip) "
                        + "with every unit of the other on the same images (units found as msrs --onnx --units auto finds them)."},
        customSynopsis = {"redtest similarity --activations=DIR [OPTIONS]",
                "redtest similarity MODEL --against=MODEL (--inputs=IMAGES.npy | --dataset=NAME) [OPTIONS]"},
        footerHeading = "%nExamples:%n",
        footer = {"  bin/redtest similarity --activations DIR",
                "  bin/redtest similarity --activations DIR --gamma 0.7 --plot cka.png --json",
                "  bin/redtest similarity --activations DIR --csv > cka.csv",
                "  bin/redtest similarity a.onnx --against b.onnx --inputs images.npy",
                "  bin/redtest similarity RUN/model.zip --against RUN/prune-cka-keep6/model.zip",
                "      --dataset fashion-mnist --test-limit 2560 --plot versus.png"})
final class SimilarityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--activations", description = "Directory of .npy files, one per layer.")
    Path activations;
    @Parameters(arity = "0..1", paramLabel = "MODEL", description = "With --against: the first model (.onnx or model.zip).")
    Path first;
    @Option(names = "--against", paramLabel = "MODEL", description = "Compare MODEL's units with this model's (.onnx or model.zip).")
    Path against;
    @Mixin
    ModelImagesOption images = new ModelImagesOption();
    @Mixin
    RunDataOption data = new RunDataOption();
    @Option(names = "--batches", defaultValue = "10", description = "With --against: batches (default ${DEFAULT-VALUE}).")
    int batches;
    @Mixin
    BatchSizeOption batchSize = new BatchSizeOption(256);
    @Mixin
    DatabaseOption databaseOption;
    @Option(names = "--beta", defaultValue = "100", description = "MSRS beta (default ${DEFAULT-VALUE}).")
    double beta;
    @Option(names = "--gamma", defaultValue = "0.8", description = "MSRS gamma (default ${DEFAULT-VALUE}; 0.7 for plain VGG-like models).")
    double gamma;
    @Option(names = "--plot", description = "Also write the CKA heatmap to this PNG file.")
    Path plot;
    @Mixin
    JsonOption json;
    @Mixin
    CsvOption csv;

    /** A pair of layers whose CKA exceeds gamma: one of the pairs MSRS counts. */
    record Pair(String first, String second, double cka) {
    }

    /** The pairs i < j with CKA above gamma, most alike first. */
    static List<Pair> redundantPairs(CkaMatrix cka, double gamma) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < cka.size(); i++) {
            for (int j = i + 1; j < cka.size(); j++) {
                if (cka.get(i, j) > gamma) {
                    pairs.add(new Pair(cka.names().get(i), cka.names().get(j), cka.get(i, j)));
                }
            }
        }
        pairs.sort(java.util.Comparator.comparingDouble(Pair::cka).reversed());
        return pairs;
    }

    @Override
    public Integer call() {
        if ((activations == null) == (against == null) || (against == null) != (first == null)) {
            throw new ParameterException(spec.commandLine(), "give --activations DIR, or MODEL --against MODEL");
        }
        if (plot != null) {
            CkaHeatmap.requireFileTarget(plot);
        }
        if (against != null) {
            if (batches < 1 || batchSize.value() < 4) {
                throw new ParameterException(spec.commandLine(), "--batches must be >= 1 and --batch-size >= 4");
            }
            ModelComparisonRun.run(first, against, images, data, batches, batchSize.value(),
                    plot != null ? plot : Path.of("similarity-cka.png"), databaseOption.path(), json.requested,
                    spec.commandLine().getOut());
            return 0;
        }
        MeasureConfig.checkMsrsParameters("--beta", beta, "--gamma", gamma);
        ActivationDirectory.LoadedActivations loaded = ActivationDirectory.load(activations);
        CkaMatrix cka = UnbiasedCka.matrix(loaded.layers(), loaded.irs());
        double msrs = Msrs.of(cka, beta, gamma);
        if (plot != null) {
            CkaHeatmap.write(cka, String.format("%s: MSRS %.2f (gamma %s)", activations.getFileName(), msrs, gamma),
                    CkaHeatmap.Marks.threshold(gamma), plot);
        }
        var out = spec.commandLine().getOut();
        List<Pair> redundant = redundantPairs(cka, gamma);
        if (csv.requested) {
            List<String> headers = new ArrayList<>(List.of("layer"));
            headers.addAll(cka.names());
            List<List<Object>> rows = new ArrayList<>();
            for (int i = 0; i < cka.size(); i++) {
                List<Object> row = new ArrayList<>(List.of(cka.names().get(i)));
                for (int j = 0; j < cka.size(); j++) {
                    row.add(cka.get(i, j));
                }
                rows.add(row);
            }
            CsvOption.print(out, headers, rows);
            return 0;
        }
        if (json.requested) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("layers", cka.names());
            result.put("n", cka.n());
            result.put("cka", JsonNumbers.nanToNull(cka.values()));
            List<Map<String, Object>> adjacent = new ArrayList<>();
            double[] a = cka.adjacent();
            for (int k = 0; k < a.length; k++) {
                Map<String, Object> pair = new LinkedHashMap<>();
                pair.put("from", cka.names().get(k));
                pair.put("to", cka.names().get(k + 1));
                pair.put("cka", JsonNumbers.nanToNull(a[k]));
                adjacent.add(pair);
            }
            result.put("adjacent", adjacent);
            result.put("msrs", JsonNumbers.nanToNull(msrs));
            result.put("beta", beta);
            result.put("gamma", gamma);
            result.put("constant_layers", cka.constantLayers());
            result.put("pairs_above_gamma", redundant.stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("first", p.first());
                m.put("second", p.second());
                m.put("cka", p.cka());
                return m;
            }).toList());
            out.println(Console.json(result));
        } else {
            int layers = cka.names().size();
            out.printf("%d layers, n = %d: MSRS %.4f (beta %s, gamma %s), %d of %d pairs have CKA above gamma%n", layers,
                    cka.n(), msrs, beta, gamma, redundant.size(), layers * (layers - 1) / 2);
            redundant.forEach(p -> out.printf("  %-24s %-24s CKA %.3f%n", p.first(), p.second(), p.cka()));
            if (plot != null) {
                out.println("CKA heatmap: " + plot);
            }
            if (!cka.constantLayers().isEmpty()) {
                out.println("constant layers (CKA undefined, MSRS NaN): " + String.join(", ", cka.constantLayers()));
            }
        }
        return 0;
    }
}
