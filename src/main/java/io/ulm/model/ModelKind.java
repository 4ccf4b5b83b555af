package io.ulm.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The kinds of model ULM serves; each has one ONNX contract ({@link ModelContract}) and at most one active model. */
public enum ModelKind {
    RECOMMENDER, CHURN;

    /** The name used in URLs and the registry ({@code recommender}, {@code churn}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ModelKind> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key().equals(key)).findFirst();
    }
}
