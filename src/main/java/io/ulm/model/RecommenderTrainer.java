package io.ulm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.model.onnx.MfOnnxExporter;
import io.ulm.model.recsys.ContentBased;
import io.ulm.model.recsys.Hybrid;
import io.ulm.model.recsys.ImplicitAls;
import io.ulm.model.recsys.Interaction;
import io.ulm.model.recsys.InteractionMatrix;
import io.ulm.model.recsys.ItemFeatures;
import io.ulm.model.recsys.ItemKnn;
import io.ulm.model.recsys.LeaveLastOut;
import io.ulm.model.recsys.MetricSet;
import io.ulm.model.recsys.Popularity;
import io.ulm.model.recsys.RankingEvaluator;
import io.ulm.model.recsys.Recommender;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the recommenders from the event log (docs/models.md, docs/evaluation.md): every activity naming items is an
 * interaction (refunds and items of excluded categories left out: {@link TrainingLog#interactions()}); leave-last-out
 * in event time; popularity, implicit ALS, item-kNN and content-based fitted on the training part, the hybrid's
 * weights tuned on the validation items; all refitted on training + validation and scored on the test items (the
 * evaluation stored with the model). The served model is the
 * factorisation, refitted on everything and exported to ONNX.
 */
@ApplicationScoped
public class RecommenderTrainer implements ModelTrainer {

    static final int[] CUT_OFFS = {10, 20};

    private final TrainingLog log;
    private final DataSource dataSource;

    RecommenderTrainer(TrainingLog log, DataSource dataSource) {
        this.log = log;
        this.dataSource = dataSource;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.RECOMMENDER;
    }

    @Override
    public List<Candidate> train(Progress progress) {
        progress.step("reading the event log", 0.05);
        TrainingLog.Interactions read = log.interactions();
        List<Interaction> interactions = read.list();
        Map<String, List<String>> categories = categories();
        progress.step("fitting on the training part, tuning the hybrid on validation", 0.2);
        LeaveLastOut.Split split = LeaveLastOut.split(interactions);
        List<Recommender> tuning = fitAll(split.train(), categories);
        Hybrid.Tuned tuned = Hybrid.tune(tuning, split.train(), split.validation(), Hybrid.Settings.DEFAULTS);
        double alsValidation = ndcgAt10(RankingEvaluator.evaluate(tuning.get(1), split.train(), split.validation(), CUT_OFFS));
        progress.step("refitting on training + validation, scoring the test items", 0.5);
        List<Recommender> testing = new ArrayList<>(fitAll(split.trainAndValidation(), categories));
        testing.add(Hybrid.of(List.copyOf(testing), tuned.hybrid().weights()));
        List<MetricSet> test = new ArrayList<>();
        for (Recommender model : testing) {
            test.addAll(RankingEvaluator.evaluate(model, split.trainAndValidation(), split.test(), CUT_OFFS));
        }
        progress.step("fitting the served factorisation on every interaction", 0.8);
        InteractionMatrix all = InteractionMatrix.of(interactions);
        ImplicitAls served = ImplicitAls.fit(all, ImplicitAls.Settings.DEFAULTS);
        byte[] onnx = MfOnnxExporter.export(served.userFactors(), served.itemFactors(), all.users().ids(), all.items().ids()).toByteArray();
        ObjectNode mapping = Json.mapper().createObjectNode();
        ArrayNode users = mapping.putArray("users");
        all.users().ids().forEach(users::add);
        ArrayNode items = mapping.putArray("items");
        all.items().ids().forEach(items::add);
        progress.step("registering", 0.95);
        return List.of(new Candidate("als", onnx, mapping, metrics(split, test, tuned, interactions.size()), read.watermark(), alsValidation));
    }

    private static List<Recommender> fitAll(InteractionMatrix m, Map<String, List<String>> categories) {
        return List.of(Popularity.fit(m), ImplicitAls.fit(m, ImplicitAls.Settings.DEFAULTS), ItemKnn.fit(m, ItemKnn.Settings.DEFAULTS),
                ContentBased.fit(m, ItemFeatures.categories(m.items(), categories)));
    }

    private static double ndcgAt10(List<MetricSet> sets) {
        return sets.stream().filter(s -> s.k() == 10).mapToDouble(MetricSet::ndcg).findFirst().orElse(0);
    }

    private static JsonNode metrics(LeaveLastOut.Split split, List<MetricSet> test, Hybrid.Tuned tuned, int interactions) {
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("protocol", "leave-last-out in event time: last item per user = test, the one before = validation (users with >= 3 items)");
        m.put("interactions", interactions);
        m.put("evaluatedUsers", split.test().size());
        m.put("served", "ALS refitted on every interaction");
        m.put("hybridValidationNdcg10", tuned.validationNdcg());
        ArrayNode weights = m.putArray("hybridWeights");
        for (double w : tuned.hybrid().weights()) {
            weights.add(w);
        }
        m.set("test", Json.mapper().valueToTree(test));
        return m;
    }

    private Map<String, List<String>> categories() {
        Map<String, List<String>> categories = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT item_id, categories FROM item WHERE categories <> '{}'")) {
            while (rs.next()) {
                Array a = rs.getArray(2);
                categories.put(rs.getString(1), List.of((String[]) a.getArray()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the item categories", e);
        }
        return categories;
    }
}
