package io.ulm.model.churn;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChurnDatasetTest {

    private static final Instant T = Instant.parse("2024-03-01T00:00:00Z");
    private static final Duration H = Duration.ofDays(30);
    private static final float EPS = 1e-4f;

    @Test
    void featuresFollowTheDocumentedFormulas() {
        float[] f = new Features().compute(handMade().before(T), T);
        float recency = 10f - 40f / 1440;                   // Feb 20 00:40 → Mar 1 (2024 is a leap year)
        assertEquals(recency, f[0], EPS);
        assertEquals(recency, f[1], EPS);
        assertEquals(3, f[2]);                               // purchases
        assertEquals(6, f[3]);                               // activities
        assertEquals(140, f[4], EPS);                        // 170 − |−30|
        assertEquals(170, f[5], EPS);
        assertEquals(1, f[6]);
        assertEquals(170f / 3, f[7], EPS);
        assertEquals(60, f[8], EPS);                         // Jan 1 → Mar 1
        assertEquals((50 + 30f / 1440) / 2, f[9], EPS);      // Jan 1 00:10 → Feb 20 00:40 over 2 gaps
        assertEquals(3, f[10]);                              // Feb 3 … Mar 1: refund, view, purchase
        assertEquals(1, f[11]);                              // Jan 6 … Feb 2: the Jan 11 purchase
        assertEquals(0.5f, f[12], EPS);                      // (3 − 1) / (3 + 1)
        assertEquals(5, f[13]);                              // the 00:10 purchase continues the first session
        assertEquals(3, f[14]);
        assertEquals(Features.COUNT, f.length);
    }

    @Test
    void missingValuesAreNaN() {
        UserHistory viewer = new UserHistory("v", T.minus(Duration.ofDays(5)), List.of(Activity.view(T.minus(Duration.ofDays(2)))));
        float[] f = new Features().compute(viewer, T);
        assertTrue(Float.isNaN(f[1]) && Float.isNaN(f[7]) && Float.isNaN(f[9]));
        assertEquals(2, f[0], EPS);
    }

    @Test
    void repeatPurchasesCountDays() {
        RepeatPurchases r = RepeatPurchases.of(handMade().before(T), T);
        assertEquals(new RepeatPurchases(2, 50, 60, 35), r); // days Jan 1, Jan 11, Feb 20; repeat spend (50 + 20) / 2
    }

    @Test
    void labelsLookAtTheHorizonOnlyAndUsersNeedPastActivity() {
        Instant acquired = T.minus(Duration.ofDays(10));
        List<UserHistory> users = List.of(
                new UserHistory("atCutoff", acquired, List.of(Activity.view(acquired), Activity.view(T))),
                new UserHistory("atEnd", acquired, List.of(Activity.view(acquired), Activity.view(T.plus(H)))),
                new UserHistory("newcomer", T, List.of(Activity.view(T))));
        ChurnDataset d = ChurnDataset.at(users, T, H, new Features());
        assertEquals(List.of("atCutoff", "atEnd"), d.userIds());
        assertArrayEquals(new float[] {0, 1}, d.labels());
        assertEquals(10, d.features()[0][Features.RECENCY_DAYS], EPS);  // the activity at T is not a feature
    }

    /** The leakage proof: whatever happens at or after T, the inputs at T stay bit-identical. */
    @Test
    void noFeatureReadsDataAfterTheCutoff() {
        Random random = new Random(42);
        List<UserHistory> past = randomHistories(random, 300, T.minus(Duration.ofDays(200)), T);
        List<UserHistory> withFuture = new ArrayList<>();
        for (UserHistory h : past) {
            List<Activity> all = new ArrayList<>(h.activities());
            all.addAll(randomActivities(random, T, T.plus(Duration.ofDays(400)), 1 + random.nextInt(20)));
            all.add(Activity.purchase(T, new BigDecimal("1e6")));   // the boundary instant itself
            withFuture.add(new UserHistory(h.userId(), h.acquiredAt(), all));
        }
        ChurnDataset before = ChurnDataset.at(past, T, H, new Features());
        ChurnDataset after = ChurnDataset.at(withFuture, T, H, new Features());
        assertEquals(before.userIds(), after.userIds());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(bits(before.features()[i]), bits(after.features()[i]), before.userIds().get(i));
        }
        assertEquals(before.repeatPurchases(), after.repeatPurchases());
    }

    @Test
    void theFeatureCodeRefusesPostCutoffActivities() {
        UserHistory h = handMade();
        assertThrows(IllegalStateException.class, () -> new Features().compute(h, T.minus(Duration.ofDays(30))));
        assertThrows(IllegalStateException.class, () -> RepeatPurchases.of(h, T.minus(Duration.ofDays(30))));
    }

    @Test
    void evaluationMustStartAfterTheTrainingLabels() {
        List<UserHistory> users = randomHistories(new Random(1), 20, T.minus(Duration.ofDays(200)), T.plus(Duration.ofDays(100)));
        ChurnDataset train = ChurnDataset.at(users, T, H, new Features());
        train.requireOutOfTime(ChurnDataset.at(users, T.plus(H), H, new Features()));
        assertThrows(IllegalArgumentException.class,
                () -> train.requireOutOfTime(ChurnDataset.at(users, T.plus(Duration.ofDays(29)), H, new Features())));
    }

    static UserHistory handMade() {
        Instant jan1 = Instant.parse("2024-01-01T00:00:00Z");
        return new UserHistory("u1", jan1, List.of(
                Activity.view(jan1),
                Activity.purchase(jan1.plus(Duration.ofMinutes(10)), new BigDecimal("100")),
                Activity.purchase(Instant.parse("2024-01-11T00:00:00Z"), new BigDecimal("50")),
                Activity.refund(Instant.parse("2024-02-10T12:00:00Z"), new BigDecimal("-30")),
                Activity.view(Instant.parse("2024-02-20T00:00:00Z")),
                Activity.purchase(Instant.parse("2024-02-20T00:40:00Z"), new BigDecimal("20")),
                Activity.view(T.plus(Duration.ofDays(3)))));
    }

    static List<UserHistory> randomHistories(Random random, int users, Instant from, Instant to) {
        List<UserHistory> histories = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            List<Activity> activities = randomActivities(random, from, to, 1 + random.nextInt(15));
            Instant first = activities.stream().map(Activity::at).min(Instant::compareTo).orElseThrow();
            histories.add(new UserHistory("u" + u, first, activities));
        }
        return histories;
    }

    static List<Activity> randomActivities(Random random, Instant from, Instant to, int n) {
        long span = Duration.between(from, to).getSeconds();
        List<Activity> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant at = from.plusSeconds((long) (random.nextDouble() * span));
            BigDecimal money = BigDecimal.valueOf(random.nextInt(10_000), 2);
            int kind = random.nextInt(3);
            list.add(kind == 0 ? Activity.view(at) : kind == 1 ? Activity.purchase(at, money) : Activity.refund(at, money.negate()));
        }
        return list;
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
