package io.ulm.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of model ULM serves; each has one ONNX contract ({@link ModelContract}) and at most one active model.
 * {@code SEQUENTIAL} is a recommender read from the user's recent items instead of her row in a factor table: its
 * own kind so that it is served beside the factorisation model (the policy picks per user), not instead of it.
 */
public enum ModelKind {
    RECOMMENDER, CHURN, SEQUENTIAL;

    /** The name used in URLs and the registry ({@code recommender}, {@code churn}, {@code sequential}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ModelKind> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key().equals(key)).findFirst();
    }
}
