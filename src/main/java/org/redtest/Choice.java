package org.redtest;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A setting that is one of a few words (a stage, a split, a pruning method...). Enums implement it so
 * that YAML files, flags and printed reports spell a value the same way, and a wrong word is refused
 * once, where it is read, with the words that are allowed.
 */
public interface Choice {
    /**
     * How YAML files and flags spell this value, e.g. {@code linear-probe} for {@code LINEAR_PROBE}; also
     * what it serialises and prints as (each enum's toString returns it).
     */
    @JsonValue
    default String word() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} spelt {@code text} (case ignored, as the YAML has always accepted);
     * null for null, so an unset flag or key stays unset. {@code what} names the setting in the error,
     * e.g. "pruning method" gives "unknown pruning method 'magic'; known: cka, random, linear-probe".
     */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String text, String what) {
        if (text == null) {
            return null;
        }
        for (E value : type.getEnumConstants()) {
            if (value.word().equalsIgnoreCase(text)) {
                return value;
            }
        }
        throw new RedTestException("unknown " + what + " '" + text + "'; known: " + words(type));
    }

    /** The allowed words of {@code type}, comma-separated, in declaration order. */
    static <E extends Enum<E> & Choice> String words(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::word).collect(Collectors.joining(", "));
    }
}
