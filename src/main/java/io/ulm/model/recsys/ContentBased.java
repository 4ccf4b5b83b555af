package io.ulm.model.recsys;

/**
 * Content-based recommender: the user's profile is the confidence-weighted sum of the feature vectors of the items
 * she interacted with, and an item's score is the cosine between its feature vector and the profile. Items without
 * content score 0; unlike the collaborative models it can rank items nobody has interacted with yet.
 */
public final class ContentBased implements Recommender {

    private final InteractionMatrix training;
    private final ItemFeatures features;
    private final double[] itemNorms;

    private ContentBased(InteractionMatrix training, ItemFeatures features, double[] itemNorms) {
        this.training = training;
        this.features = features;
        this.itemNorms = itemNorms;
    }

    /** Features must be indexed like the matrix's items (e.g. {@link ItemFeatures#categories} over its item ids). */
    public static ContentBased fit(InteractionMatrix training, ItemFeatures features) {
        if (features.indices().length != training.numItems()) {
            throw new IllegalArgumentException("features cover " + features.indices().length + " items, the matrix "
                    + training.numItems());
        }
        double[] norms = new double[training.numItems()];
        for (int item = 0; item < norms.length; item++) {
            norms[item] = features.norm(item);
        }
        return new ContentBased(training, features, norms);
    }

    @Override
    public String name() {
        return "ContentBased";
    }

    @Override
    public double[] scores(int user) {
        double[] profile = profile(user);
        double profileNorm = Math.sqrt(java.util.Arrays.stream(profile).map(v -> v * v).sum());
        double[] scores = new double[training.numItems()];
        if (profileNorm == 0) {
            return scores;
        }
        for (int item = 0; item < scores.length; item++) {
            if (itemNorms[item] > 0) {
                scores[item] = features.dot(item, profile) / (itemNorms[item] * profileNorm);
            }
        }
        return scores;
    }

    /** The user's taste in feature space (e.g. category interests), for explanations. */
    public double[] profile(int user) {
        double[] profile = new double[features.dimension()];
        int[] items = training.itemsOf(user);
        float[] confidences = training.confidencesOf(user);
        for (int at = 0; at < items.length; at++) {
            features.addTo(items[at], confidences[at], profile);
        }
        return profile;
    }
}
