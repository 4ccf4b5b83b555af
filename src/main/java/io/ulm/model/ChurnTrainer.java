package io.ulm.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.model.churn.BgNbd;
import io.ulm.model.churn.BgNbdScorer;
import io.ulm.model.churn.ChurnDataset;
import io.ulm.model.churn.ChurnOnnxExport;
import io.ulm.model.churn.ChurnScorer;
import io.ulm.model.churn.ClassificationMetrics;
import io.ulm.model.churn.Features;
import io.ulm.model.churn.GammaGamma;
import io.ulm.model.churn.LogisticChurnModel;
import io.ulm.model.churn.RecencyRule;
import io.ulm.model.churn.RepeatPurchases;
import io.ulm.model.churn.UserHistory;
import io.ulm.model.churn.XgbChurnModel;
import io.ulm.platform.Json;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Trains the churn models from the event log, in event time (docs/models.md, docs/evaluation.md). With W the newest
 * activity and H the horizon: the test cutoff is T2 = W − H (its labels are fully observed), the training cutoff
 * T1 = T2 − H, so no training label overlaps the test window. XGBoost trees and a logistic baseline are fitted on a
 * seeded share of the T1 users, thresholds and the served model are chosen on the rest (validation), and everything,
 * with the recency rule and BG/NBD, is evaluated at T2. The served models are refitted at T2 (the latest cutoff
 * with complete labels); BG/NBD and Gamma-Gamma are fitted at W for P(alive), expected purchases and CLV.
 */
@ApplicationScoped
public class ChurnTrainer implements ModelTrainer {

    private final TrainingLog log;
    private final ModelConfig config;

    ChurnTrainer(TrainingLog log, ModelConfig config) {
        this.log = log;
        this.config = config;
    }

    @Override
    public ModelKind kind() {
        return ModelKind.CHURN;
    }

    @Override
    public List<Candidate> train(Progress progress) {
        progress.step("reading the event log", 0.05);
        List<TrainingLog.Activity> activities = log.activities();
        Instant watermark = ChurnHistories.latest(activities);
        List<UserHistory> histories = ChurnHistories.of(activities);
        Duration h = config.churn().horizon();
        Instant t2 = watermark.minus(h);
        Instant t1 = t2.minus(h);
        Features features = new Features();
        ChurnDataset atT1 = ChurnDataset.at(histories, t1, h, features);
        ChurnDataset test = ChurnDataset.at(histories, t2, h, features);
        if (atT1.size() < 50) {
            throw new IllegalStateException("Too little history for churn: " + atT1.size() + " users active before " + t1
                    + " (the log must span two horizons of " + h + " before its newest event " + watermark + ")");
        }
        atT1.requireOutOfTime(test);
        ChurnDataset[] split = split(atT1);
        progress.step("fitting XGBoost and the logistic baseline at " + t1, 0.2);
        try (XgbChurnModel trees = XgbChurnModel.train(split[0], XgbChurnModel.Settings.DEFAULTS);
             LogisticChurnModel logistic = LogisticChurnModel.train(split[0], LogisticChurnModel.Settings.DEFAULTS)) {
            BgNbd bgNbd = BgNbdScorer.fit(split[0]);
            progress.step("evaluating at " + t2, 0.5);
            Map<String, ChurnScorer> models = new LinkedHashMap<>();
            models.put("xgboost", trees);
            models.put("logistic", logistic);
            models.put("recency-rule", new RecencyRule());
            models.put("bg-nbd-not-alive", BgNbdScorer.notAlive(bgNbd));
            models.put("bg-nbd-no-purchase-in-horizon", BgNbdScorer.noPurchaseWithin(bgNbd, h));
            ObjectNode evaluation = evaluation(models, split[1], test, t1, t2, watermark);
            double treesValidation = ClassificationMetrics.rocAuc(trees.score(split[1]), split[1].labels());
            double logisticValidation = ClassificationMetrics.rocAuc(logistic.score(split[1]), split[1].labels());
            progress.step("refitting the served models at " + t2 + " and the BG/NBD and Gamma-Gamma at " + watermark, 0.75);
            return served(test, evaluation, treesValidation, logisticValidation, mapping(histories, watermark, test), watermark, progress);
        }
    }

    /** The candidates: both learned models refitted at T2 (the latest cutoff with complete labels), exported to ONNX. */
    private static List<Candidate> served(ChurnDataset at, ObjectNode evaluation, double treesValidation, double logisticValidation,
                                          ObjectNode mapping, Instant watermark, Progress progress) {
        try (XgbChurnModel trees = XgbChurnModel.train(at, XgbChurnModel.Settings.DEFAULTS);
             LogisticChurnModel logistic = LogisticChurnModel.train(at, LogisticChurnModel.Settings.DEFAULTS)) {
            progress.step("registering", 0.95);
            return List.of(
                    new Candidate("xgboost", ChurnOnnxExport.trees(trees), mapping, evaluation.deepCopy().put("served", "xgboost")
                            .put("validationRocAuc", treesValidation), watermark, treesValidation),
                    new Candidate("logistic", ChurnOnnxExport.logistic(logistic), mapping, evaluation.deepCopy().put("served", "logistic")
                            .put("validationRocAuc", logisticValidation), watermark, logisticValidation));
        }
    }

    /** [training, validation]: a seeded share of the users at T1 held out. */
    private ChurnDataset[] split(ChurnDataset all) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, all.size()).boxed().toList());
        Collections.shuffle(order, new Random(config.churn().seed()));
        int cut = (int) Math.round(all.size() * (1 - config.churn().validationShare()));
        return new ChurnDataset[]{all.subset(order.subList(0, cut).stream().mapToInt(Integer::intValue).toArray()),
                all.subset(order.subList(cut, order.size()).stream().mapToInt(Integer::intValue).toArray())};
    }

    private ObjectNode evaluation(Map<String, ChurnScorer> models, ChurnDataset validation, ChurnDataset test, Instant t1, Instant t2,
                                  Instant watermark) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("protocol", "out of time: fitted at T1 on " + (1 - config.churn().validationShare()) + " of its users, thresholds chosen "
                + "on the rest (validation, F1-maximising), evaluated at T2; label = no activity in [T, T + H)");
        e.put("horizonDays", config.churn().horizon().toDays());
        e.put("t1", t1.toString()).put("t2", t2.toString()).put("watermark", watermark.toString());
        e.put("testUsers", test.size()).put("testChurnRate", test.churnRate());
        ObjectNode results = e.putObject("test");
        models.forEach((name, model) -> {
            double threshold = ClassificationMetrics.bestF1Threshold(model.score(validation), validation.labels());
            results.set(name, Json.mapper().valueToTree(ClassificationMetrics.report(model.score(test), test.labels(), threshold, model.probabilities())));
        });
        return e;
    }

    /** The contract's feature names, plus what serving needs beside the graph: the population BG/NBD and Gamma-Gamma at W. */
    private static ObjectNode mapping(List<UserHistory> histories, Instant watermark, ChurnDataset reference) {
        List<RepeatPurchases> now = new ArrayList<>();
        for (UserHistory h : histories) {
            if (h.hasActivityBefore(watermark)) {
                now.add(RepeatPurchases.of(h.before(watermark), watermark));
            }
        }
        ObjectNode mapping = Json.mapper().createObjectNode();
        ArrayNode names = mapping.putArray("features");
        Features.NAMES.forEach(names::add);
        ArrayNode baseline = mapping.putArray("baseline");   // medians at T2: what "contributing" features are compared with
        for (double median : ChurnContributions.medians(reference.features())) {
            baseline.add(Double.isNaN(median) ? null : median);
        }
        mapping.set("bgNbd", Json.mapper().valueToTree(BgNbd.fit(now).params()));
        mapping.set("gammaGamma", Json.mapper().valueToTree(GammaGamma.fit(now).params()));
        return mapping;
    }
}
