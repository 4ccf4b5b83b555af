package io.ulm.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ulm.model.recsys.ImplicitAls;
import io.ulm.model.recsys.Interaction;
import io.ulm.model.recsys.InteractionMatrix;
import io.ulm.model.recsys.Popularity;
import io.ulm.model.recsys.Recommender;
import io.ulm.model.recsys.ScoredItem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recommendations recover each user's TRUE category mixture (known to the simulator) better than popularity does,
 * measured in the same test: the categories of her top 20 recommended items (excluding what she saw) against her
 * mixture, by total-variation similarity 1 − ½ Σ |p_c − q_c|.
 */
class RecommendationTruthTest {

    private static final int K = 20;
    /** Users with at least this many interactions are compared (too few and no method can know her taste). */
    private static final int MIN_INTERACTIONS = 10;

    @Test
    void alsRecoversTheTrueCategoryMixtureBetterThanPopularity() throws Exception {
        Simulator simulator = new Simulator(SimulationSettings.defaults().withSeed(11).withScale(3_000, 120, 60));
        ObjectMapper json = new ObjectMapper();
        List<Interaction> interactions = new ArrayList<>();
        simulator.run(m -> {
            JsonNode node = read(json, m.json());
            JsonNode properties = node.path("properties");
            if (properties.has("product_id")) {
                interactions.add(new Interaction(m.userId(), properties.get("product_id").asText(), m.at(), 1));
            }
            properties.path("products").forEach(p -> interactions.add(new Interaction(m.userId(), p.path("product_id").asText(), m.at(), 1)));
        });
        Map<String, String> categoryOf = new HashMap<>();
        simulator.catalogue().items().forEach(i -> categoryOf.put(i.id(), i.categories().get(0)));
        Map<String, Map<String, Double>> truth = new HashMap<>();
        simulator.truth().forEach(t -> truth.put(t.userId(), t.categoryMixture()));

        InteractionMatrix matrix = InteractionMatrix.of(interactions);
        Recommender als = ImplicitAls.fit(matrix, ImplicitAls.Settings.DEFAULTS);
        Recommender popularity = Popularity.fit(matrix);
        double[] similarity = new double[2];
        int users = 0;
        for (int u = 0; u < matrix.numUsers(); u++) {
            if (matrix.userDegree(u) < MIN_INTERACTIONS) {
                continue;
            }
            Map<String, Double> mixture = truth.get(matrix.users().id(u));
            final int user = u;
            similarity[0] += similarity(mixture, categories(als.recommend(u, K, i -> matrix.contains(user, i)), matrix, categoryOf));
            similarity[1] += similarity(mixture, categories(popularity.recommend(u, K, i -> matrix.contains(user, i)), matrix, categoryOf));
            users++;
        }
        double alsMean = similarity[0] / users;
        double popularityMean = similarity[1] / users;
        System.out.printf("[simulation] true-mixture similarity of the top %d over %d users: ALS %.3f, popularity %.3f%n", K, users, alsMean,
                popularityMean);
        assertThat(users).isGreaterThan(200);
        assertThat(alsMean).as("ALS recovers the true taste better than popularity").isGreaterThan(popularityMean);
    }

    private static Map<String, Double> categories(List<ScoredItem> items, InteractionMatrix m, Map<String, String> categoryOf) {
        Map<String, Double> share = new HashMap<>();
        for (ScoredItem s : items) {
            share.merge(categoryOf.get(m.items().id(s.item())), 1.0 / items.size(), Double::sum);
        }
        return share;
    }

    /** 1 − total variation distance between two distributions over categories. */
    static double similarity(Map<String, Double> p, Map<String, Double> q) {
        java.util.Set<String> all = new java.util.HashSet<>(p.keySet());
        all.addAll(q.keySet());
        double distance = 0;
        for (String c : all) {
            distance += Math.abs(p.getOrDefault(c, 0.0) - q.getOrDefault(c, 0.0));
        }
        return 1 - distance / 2;
    }

    private static JsonNode read(ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
