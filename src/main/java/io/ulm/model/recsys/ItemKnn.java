package io.ulm.model.recsys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Item-based top-N (Deshpande &amp; Karypis 2004): cosine similarity between items' columns of the binary user-item
 * matrix, |U(i) ∩ U(j)| / sqrt(|U(i)|·|U(j)|), keeping each item's {@link Settings#neighbours()} most similar items.
 * A user's score for item j is the sum of the similarities of j to the items she has seen, counting j only where it
 * is among their kept neighbours (the pruning is what keeps long-tail noise out).
 */
public final class ItemKnn implements Recommender {

    /** @param neighbours kept per item; 50 to 200 is the usual range on MovieLens-sized data, 100 the default */
    public record Settings(int neighbours) {

        public static final Settings DEFAULTS = new Settings(100);

        public Settings {
            if (neighbours < 1) {
                throw new IllegalArgumentException("neighbours must be positive: " + neighbours);
            }
        }
    }

    private final InteractionMatrix training;
    private final int[][] neighbours;
    private final float[][] similarities;

    private ItemKnn(InteractionMatrix training, int[][] neighbours, float[][] similarities) {
        this.training = training;
        this.neighbours = neighbours;
        this.similarities = similarities;
    }

    public static ItemKnn fit(InteractionMatrix training, Settings settings) {
        int numItems = training.numItems();
        int[][] userItems = new int[training.numUsers()][];
        Arrays.setAll(userItems, training::itemsOf);
        int[][] neighbours = new int[numItems][];
        float[][] similarities = new float[numItems][];
        double[] cosine = new double[numItems];
        for (int item = 0; item < numItems; item++) {
            cosines(training, userItems, item, cosine);
            List<ScoredItem> best = TopK.select(cosine, settings.neighbours(), other -> false);
            neighbours[item] = best.stream().mapToInt(ScoredItem::item).toArray();
            similarities[item] = new float[best.size()];
            for (int at = 0; at < best.size(); at++) {
                similarities[item][at] = (float) best.get(at).score();
            }
        }
        return new ItemKnn(training, neighbours, similarities);
    }

    /** Fills cosine[j] for items co-occurring with the item; NaN elsewhere and for the item itself (not a neighbour). */
    private static void cosines(InteractionMatrix training, int[][] userItems, int item, double[] cosine) {
        Arrays.fill(cosine, Double.NaN);
        for (int user : training.usersOf(item)) {
            for (int other : userItems[user]) {
                cosine[other] = Double.isNaN(cosine[other]) ? 1 : cosine[other] + 1;
            }
        }
        cosine[item] = Double.NaN;
        double degree = training.itemDegree(item);
        for (int other = 0; other < cosine.length; other++) {
            if (!Double.isNaN(cosine[other])) {
                cosine[other] /= Math.sqrt(degree * training.itemDegree(other));
            }
        }
    }

    @Override
    public String name() {
        return "ItemKNN";
    }

    @Override
    public double[] scores(int user) {
        double[] scores = new double[training.numItems()];
        for (int seen : training.itemsOf(user)) {
            for (int at = 0; at < neighbours[seen].length; at++) {
                scores[neighbours[seen][at]] += similarities[seen][at];
            }
        }
        return scores;
    }

    /** "Similar items": the item's k most similar items by cosine, best first (at most the kept neighbours). */
    public List<ScoredItem> similar(int item, int k) {
        List<ScoredItem> result = new ArrayList<>(Math.min(k, neighbours[item].length));
        for (int at = 0; at < Math.min(k, neighbours[item].length); at++) {
            result.add(new ScoredItem(neighbours[item][at], similarities[item][at]));
        }
        return result;
    }
}
