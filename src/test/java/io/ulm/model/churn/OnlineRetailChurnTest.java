package io.ulm.model.churn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import io.ulm.catalogue.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Out-of-time churn evaluation on Online Retail (Dec 2010 – Dec 2011). Churn = no invoice in the next H = 90 days
 * (a quarter: most repeat customers of this wholesaler buy at least quarterly). Training cutoff T1 = 2011-06-01
 * (six months of history, labels to 2011-08-30); test cutoff T2 = 2011-09-01 (features before it, labels to
 * 2011-11-30, inside the data that ends 2011-12-09). T1 + H ≤ T2, so no training label overlaps the test period.
 * The models are fitted on a seeded 80 % of the T1 users; the other 20 % (validation) pick each model's
 * F1-maximising threshold, which is then applied unchanged at T2.
 */
class OnlineRetailChurnTest {

    static final Instant T1 = Instant.parse("2011-06-01T00:00:00Z");
    static final Instant T2 = Instant.parse("2011-09-01T00:00:00Z");
    static final Duration H = Duration.ofDays(90);
    static final double TRAIN_SHARE = 0.8;
    static final long SPLIT_SEED = 7;

    static ChurnDataset train;
    static ChurnDataset validation;
    static ChurnDataset test;

    @BeforeAll
    static void load() throws Exception {
        List<UserHistory> histories = RetailHistories.load(SharedData.path(SharedData.RETAIL));
        ChurnDataset atT1 = ChurnDataset.at(histories, T1, H, new Features());
        test = ChurnDataset.at(histories, T2, H, new Features());
        atT1.requireOutOfTime(test);
        List<Integer> order = new ArrayList<>(IntStream.range(0, atT1.size()).boxed().toList());
        Collections.shuffle(order, new Random(SPLIT_SEED));
        int cut = (int) Math.round(order.size() * TRAIN_SHARE);
        train = atT1.subset(order.subList(0, cut).stream().mapToInt(Integer::intValue).toArray());
        validation = atT1.subset(order.subList(cut, order.size()).stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void learnedModelsBeatTheRecencyRuleOutOfTime() {
        long start = System.nanoTime();
        Map<String, ChurnScorer> models = new LinkedHashMap<>();
        models.put("XGBoost (gbtree)", XgbChurnModel.train(train, XgbChurnModel.Settings.DEFAULTS));
        models.put("logistic (gblinear)", LogisticChurnModel.train(train, LogisticChurnModel.Settings.DEFAULTS));
        models.put("recency rule", new RecencyRule());
        BgNbd bgNbd = BgNbdScorer.fit(train);
        models.put("BG/NBD 1 − P(alive)", BgNbdScorer.notAlive(bgNbd));
        models.put("BG/NBD P(no purchase in H)", BgNbdScorer.noPurchaseWithin(bgNbd, H));
        double fitSeconds = (System.nanoTime() - start) / 1e9;

        Map<String, ClassificationMetrics.Report> reports = new LinkedHashMap<>();
        models.forEach((name, model) -> {
            double threshold = ClassificationMetrics.bestF1Threshold(model.score(validation), validation.labels());
            reports.put(name, ClassificationMetrics.report(model.score(test), test.labels(), threshold, model.probabilities()));
        });
        print(reports, fitSeconds);
        System.out.println("BG/NBD fitted on the training users (days): " + bgNbd.params());

        double recency = reports.get("recency rule").rocAuc();
        double best = Math.max(reports.get("XGBoost (gbtree)").rocAuc(), reports.get("logistic (gblinear)").rocAuc());
        assertTrue(best > recency, "best learned ROC-AUC " + best + " vs recency rule " + recency);
    }

    private static void print(Map<String, ClassificationMetrics.Report> reports, double fitSeconds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Online Retail churn, H = %d days: train T1 = %s (%d users, churn %.3f; "
                        + "validation %d users), test T2 = %s (%d users, churn %.3f); fit %.1f s%n",
                H.toDays(), T1, train.size(), train.churnRate(), validation.size(), T2, test.size(), test.churnRate(), fitSeconds));
        out.append("| model | ROC-AUC | PR-AUC (AP) | threshold (validation) | precision | recall | F1 | lift top 10% | Brier |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        reports.forEach((name, r) -> out.append(String.format(Locale.ROOT,
                "| %s | %.4f | %.4f | %.4g | %.4f | %.4f | %.4f | %.3f | %s |%n", name, r.rocAuc(), r.averagePrecision(),
                r.atThreshold().threshold(), r.atThreshold().precision(), r.atThreshold().recall(), r.atThreshold().f1(),
                r.liftTopDecile(), Double.isNaN(r.brier()) ? "–" : String.format(Locale.ROOT, "%.4f", r.brier()))));
        System.out.print(out);
    }
}
