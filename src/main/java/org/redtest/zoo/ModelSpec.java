package org.redtest.zoo;

import org.redtest.RedTestException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses model spec strings, the same in YAML and on the command line:
 * <ul>
 *   <li>{@code resnet20}, {@code resnet56}, ... {@code resnet1202}: depth 6k+2, k blocks per stage;</li>
 *   <li>{@code resnet:a-b-c}: a, b, c BasicBlocks in the three stages (each >= 1);</li>
 *   <li>{@code vgg11|vgg13|vgg16|vgg19} and {@code vgg:64,M,128,M,...};</li>
 *   <li>{@code nats:<arch string>} and {@code nats[C=8,N=1]:<arch string>} (defaults C=16, N=5);
 *       {@code nats:#123} names a cell by its index (see {@link NatsCell}).</li>
 * </ul>
 */
public final class ModelSpec {
    private static final Pattern RESNET_DEPTH = Pattern.compile("resnet(\\d+)");
    private static final Pattern RESNET_BLOCKS = Pattern.compile("resnet:(\\d+)-(\\d+)-(\\d+)");
    private static final Pattern NATS = Pattern.compile("nats(?:\\[([^\\]]*)\\])?:(.+)");
    private static final String FORMS = "known forms: resnet20..resnet1202 (depth 6k+2), resnet:a-b-c, "
            + "vgg11, vgg13, vgg16, vgg19, vgg:64,M,128,..., nats:<arch>, nats[C=16,N=5]:<arch>";

    /** torchvision's ImageNet ResNet depths, which PyTorch users type expecting those networks. */
    private static final java.util.Set<Integer> IMAGENET_RESNETS = java.util.Set.of(18, 34, 50, 101, 152);
    /** What a torchvision name means here (resnet50 and resnet152 are valid 6k+2 depths, so they build). */
    public static final String NOT_TORCHVISION = "The zoo's resnetN are the CIFAR ResNets of He et al. (2016): three "
            + "stages of BasicBlocks at 16/32/64 channels, depth 6k+2 (resnet50: 0.76 M parameters), not torchvision's "
            + "ImageNet ResNets (ResNet-50: 25.6 M parameters, Bottleneck blocks)";

    /** The note for a spec a PyTorch user may mistake for torchvision's network (resnet50, resnet152), if any. */
    public static java.util.Optional<String> torchvisionNote(String spec) {
        Matcher m = RESNET_DEPTH.matcher(spec == null ? "" : spec.trim().toLowerCase());
        return m.matches() && m.group(1).length() <= 4 && IMAGENET_RESNETS.contains(Integer.parseInt(m.group(1)))
                ? java.util.Optional.of(NOT_TORCHVISION + ".") : java.util.Optional.empty();
    }

    private ModelSpec() {
    }

    public static Architecture parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new RedTestException("empty model spec (" + FORMS + ")");
        }
        try {
            return parseNonBlank(spec.trim());
        } catch (NumberFormatException e) { // digits that do not fit an int: resnet99999999999, vgg:64,99999999999
            throw new RedTestException("invalid model spec '" + spec.trim() + "': a number is too large ("
                    + e.getMessage() + ")", e);
        }
    }

    private static Architecture parseNonBlank(String s) {
        String lower = s.toLowerCase();
        Matcher m;
        if ((m = RESNET_DEPTH.matcher(lower)).matches()) {
            int depth = Integer.parseInt(m.group(1));
            if (depth < 8 || (depth - 2) % 6 != 0) {
                throw new RedTestException("unknown model spec '" + s + "': a ResNet depth must be 6k+2 "
                        + "(8, 14, 20, ...); use resnet:a-b-c for other block counts (depth = 2 + 2(a+b+c))"
                        + (IMAGENET_RESNETS.contains(depth) ? ". " + NOT_TORCHVISION : ""));
            }
            int k = (depth - 2) / 6;
            return new ResNetArchitecture(new int[]{k, k, k});
        }
        if ((m = RESNET_BLOCKS.matcher(lower)).matches()) {
            int[] blocks = new int[3];
            for (int i = 0; i < 3; i++) {
                blocks[i] = Integer.parseInt(m.group(i + 1));
                if (blocks[i] < 1) {
                    throw new RedTestException("invalid model spec '" + s + "': each stage needs at least one block");
                }
            }
            return new ResNetArchitecture(blocks);
        }
        switch (lower) {
            case "vgg11": return new VggArchitecture(VggArchitecture.VGG11);
            case "vgg13": return new VggArchitecture(VggArchitecture.VGG13);
            case "vgg16": return new VggArchitecture(VggArchitecture.VGG16);
            case "vgg19": return new VggArchitecture(VggArchitecture.VGG19);
            default: break;
        }
        if (lower.startsWith("vgg:")) {
            return parseVgg(s, s.substring(4));
        }
        if ((m = NATS.matcher(s)).matches()) {
            return parseNats(s, m.group(1), m.group(2));
        }
        throw new RedTestException("unknown model spec '" + s + "' (" + FORMS + ")");
    }

    private static Architecture parseVgg(String spec, String body) {
        List<String> layers = new ArrayList<>();
        for (String token : body.split(",")) {
            String t = token.trim();
            if (t.equalsIgnoreCase("M")) {
                layers.add("M");
            } else if (t.matches("\\d+") && Integer.parseInt(t) > 0) {
                layers.add(String.valueOf(Integer.parseInt(t)));
            } else {
                throw new RedTestException("invalid model spec '" + spec + "': VGG entries are channel counts or M, got '" + t + "'");
            }
        }
        if (layers.stream().allMatch("M"::equals)) {
            throw new RedTestException("invalid model spec '" + spec + "': a VGG needs at least one conv");
        }
        return new VggArchitecture(layers);
    }

    private static Architecture parseNats(String spec, String options, String arch) {
        int c = NatsArchitecture.DEFAULT_CHANNELS;
        List<Integer> n = List.of(NatsArchitecture.DEFAULT_CELLS, NatsArchitecture.DEFAULT_CELLS, NatsArchitecture.DEFAULT_CELLS);
        if (options != null && !options.isBlank()) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String option : options.split(",")) {
                String[] kv = option.trim().split("=");
                String key = kv[0].trim().toUpperCase(java.util.Locale.ROOT);
                String value = kv.length == 2 ? kv[1].trim() : "";
                if (!seen.add(key)) { // nats[C=8,N=1,C=16] would silently take the last C
                    throw new RedTestException("invalid model spec '" + spec + "': NATS option " + key + " is given twice");
                }
                if (key.equals("C") && value.matches("\\d{1,9}")) {
                    c = Integer.parseInt(value);
                } else if (key.equals("N") && value.matches("\\d{1,9}")) {
                    int cells = Integer.parseInt(value);
                    n = List.of(cells, cells, cells);
                } else if (key.equals("N") && value.matches("\\d{1,9}-\\d{1,9}-\\d{1,9}")) {
                    n = java.util.Arrays.stream(value.split("-")).map(Integer::valueOf).toList();
                } else {
                    throw new RedTestException("invalid model spec '" + spec + "': NATS options read C=<int>,N=<int> or N=<a-b-c>");
                }
            }
        }
        String a = arch.trim();
        NatsCell cell;
        if (a.startsWith("#")) {
            try {
                cell = NatsCell.fromIndex(Integer.parseInt(a.substring(1)));
            } catch (NumberFormatException e) {
                throw new RedTestException("invalid model spec '" + spec + "': #index must be an integer");
            }
        } else {
            cell = NatsCell.parse(a);
        }
        return new NatsArchitecture(cell, c, n);
    }
}
