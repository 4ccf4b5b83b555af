package io.ulm.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The simulated items: item i (id {@code <prefix>-item-<i>}) belongs to category i mod K and has popularity rank
 * i div K + 1 within it; an item of rank k is chosen with probability ∝ 1 / k^s (Zipf) among its category's items.
 * Sampled by inverting the exact cumulative distribution (binary search), so one table serves every user's stream.
 */
public final class Catalogue {

    /** An item as {@code PUT /v1/items/{id}} takes it. */
    public record Item(String id, String title, List<String> categories, Map<String, Object> properties) {
    }

    private final List<Item> items;
    private final List<String> categories;
    /** Per category: its items' indexes by popularity rank, and the cumulative Zipf probabilities. */
    private final int[][] members;
    private final double[][] cumulative;

    Catalogue(SimulationSettings settings) {
        SimulationSettings.CatalogueSettings c = settings.catalogue();
        this.categories = List.copyOf(c.categories());
        int k = categories.size();
        List<Item> all = new ArrayList<>(c.items());
        for (int i = 0; i < c.items(); i++) {
            String category = categories.get(i % k);
            int rank = i / k + 1;
            all.add(new Item(itemId(settings, i), category + " item " + rank, List.of(category),
                    Map.of("source", "simulator", "popularityRank", rank)));
        }
        this.items = List.copyOf(all);
        this.members = new int[k][];
        this.cumulative = new double[k][];
        for (int cat = 0; cat < k; cat++) {
            int size = (c.items() - cat + k - 1) / k;
            members[cat] = new int[size];
            cumulative[cat] = new double[size];
            double sum = 0;
            for (int rank = 0; rank < size; rank++) {
                members[cat][rank] = cat + rank * k;
                sum += Math.pow(rank + 1, -c.zipfExponent());
                cumulative[cat][rank] = sum;
            }
            for (int rank = 0; rank < size; rank++) {
                cumulative[cat][rank] /= sum;
            }
        }
    }

    static String itemId(SimulationSettings settings, int index) {
        return settings.idPrefix() + "-item-" + index;
    }

    public List<Item> items() {
        return items;
    }

    public List<String> categories() {
        return categories;
    }

    /** An item of {@code category} by its Zipf popularity. */
    Item sample(int category, Randomness random) {
        int at = Arrays.binarySearch(cumulative[category], random.nextDouble());
        int rank = at >= 0 ? at : Math.min(-at - 1, members[category].length - 1);
        return items.get(members[category][rank]);
    }

    /** A category from a user's cumulative mixture, then an item from it. */
    Item sample(double[] cumulativeMixture, Randomness random) {
        int at = Arrays.binarySearch(cumulativeMixture, random.nextDouble());
        int category = at >= 0 ? at : Math.min(-at - 1, cumulativeMixture.length - 1);
        return sample(category, random);
    }
}
