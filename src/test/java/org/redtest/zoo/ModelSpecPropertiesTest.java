package org.redtest.zoo;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.redtest.RedTestException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15: the model-spec parser on random and mutated strings either accepts a spec whose
 * canonical form parses back to itself, or refuses it with one {@link RedTestException} line;
 * never another exception.
 */
class ModelSpecPropertiesTest {
    private static final List<String> PIECES = List.of("resnet", "vgg", "nats", ":", "-", ",", "M", "m", "|", "~", "+",
            "[", "]", "C=", "N=", "#", "0", "1", "2", "3", "8", "9", "16", "64", "999999999999", "-1", " ",
            "none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3", "bogus", "=", ".", "\n", "é");

    @Provide
    Arbitrary<String> specLike() {
        Arbitrary<String> pieces = Arbitraries.of(PIECES).list().ofMaxSize(14).map(l -> String.join("", l));
        Arbitrary<String> mutatedValid = Arbitraries.of("resnet20", "resnet:6-1-6", "vgg11", "vgg:64,M,128,M,256",
                        "nats:|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
                        "nats[C=8,N=1]:#1234")
                .flatMap(v -> Arbitraries.integers().between(0, v.length()).flatMap(at ->
                        Arbitraries.of(PIECES).map(p -> v.substring(0, at) + p + v.substring(Math.min(v.length(), at + 1)))));
        return Arbitraries.oneOf(pieces, mutatedValid, Arbitraries.strings().ofMaxLength(30));
    }

    @Property(tries = 1500)
    void acceptsAndRoundTripsOrRefusesWithOneLine(@ForAll("specLike") String spec) {
        Architecture a;
        try {
            a = ModelSpec.parse(spec);
        } catch (RedTestException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a message");
            assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
            return;
        }
        assertEquals(a.spec(), ModelSpec.parse(a.spec()).spec(), "canonical form round-trips: " + spec);
    }

    @Property(tries = 200)
    void everyResNetBlockCountIsAccepted(@ForAll @IntRange(min = 1, max = 40) int a, @ForAll @IntRange(min = 1, max = 40) int b,
                                         @ForAll @IntRange(min = 1, max = 40) int c) {
        Architecture r = ModelSpec.parse("resnet:" + a + "-" + b + "-" + c);
        assertEquals(2 + 2 * (a + b + c), r.depth());
        assertEquals(r.spec(), ModelSpec.parse(r.spec()).spec());
    }

    @Property(tries = 300)
    void everyNatsCellIndexIsAcceptedAndRoundTrips(@ForAll @IntRange(min = 0, max = 15624) int index) {
        Architecture n = ModelSpec.parse("nats:#" + index);
        Architecture again = ModelSpec.parse(n.spec());
        assertEquals(n.spec(), again.spec());
        assertTrue(n.spec().startsWith("nats"), n.spec());
    }
}
