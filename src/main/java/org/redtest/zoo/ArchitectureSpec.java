package org.redtest.zoo;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * A model as settings and run files name it: the spec as written ({@code resnet20}, {@code vgg:64,M,128}) with
 * the {@link Architecture} it names, parsed once where the text enters (a YAML file, a flag, a run.json) and
 * written back as the same text, so files and config hashes read as before.
 */
public final class ArchitectureSpec {
    private final String text;
    private final Architecture architecture;

    private ArchitectureSpec(String text, Architecture architecture) {
        this.text = text;
        this.architecture = architecture;
    }

    /** Parses {@code text} (see {@link ModelSpec}); a spec that names no model is refused with the forms that do. */
    public static ArchitectureSpec parse(String text) {
        return new ArchitectureSpec(text, ModelSpec.parse(text));
    }

    /** An architecture named by its canonical spec (what run.json records). */
    public static ArchitectureSpec of(Architecture architecture) {
        return new ArchitectureSpec(architecture.spec(), architecture);
    }

    /** How YAML and JSON bind it: a blank value is no model (the config then names the missing key). */
    @JsonCreator
    static ArchitectureSpec bind(String text) {
        return text == null || text.isBlank() ? null : parse(text);
    }

    /** The spec as written. */
    @JsonValue
    public String text() {
        return text;
    }

    public Architecture architecture() {
        return architecture;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArchitectureSpec other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
