package io.ulm.model.recsys;

/** The non-personalised baseline: an item's score is the number of distinct users who interacted with it. */
public final class Popularity implements Recommender {

    private final double[] counts;

    private Popularity(double[] counts) {
        this.counts = counts;
    }

    public static Popularity fit(InteractionMatrix training) {
        double[] counts = new double[training.numItems()];
        for (int item = 0; item < counts.length; item++) {
            counts[item] = training.itemDegree(item);
        }
        return new Popularity(counts);
    }

    @Override
    public String name() {
        return "Popularity";
    }

    @Override
    public double[] scores(int user) {
        return counts.clone();
    }
}
