package io.ulm.feature;

import io.ulm.lifecycle.ActivityKind;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.UserAcquired;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The fold and the calculator on a hand-made history, against values worked out by hand (in the comments)
 * with the formulas of docs/features.md, computed here independently of the production code.
 */
class FeatureCalculatorTest {

    static final ActivityKind VIEW = new ActivityKind(true, true, false, false);
    static final ActivityKind PURCHASE = new ActivityKind(true, true, true, false);
    static final ActivityKind REFUND = new ActivityKind(true, false, false, true);
    static final Duration H = Duration.ofDays(30);
    static final Instant T = Instant.parse("2024-04-10T10:00:00Z");

    static ActivityRecorded event(String at, ActivityKind kind, String revenue, String... items) {
        return new ActivityRecorded("u", "m-" + at, "track", kind.purchase() ? "Order Completed" : kind.refund() ? "Order Refunded"
                : "Product Viewed", Instant.parse(at), Instant.parse(at), kind, null, null,
                revenue == null ? null : new BigDecimal(revenue), null, List.of(items), false);
    }

    /** The scenario, in log order: a late view of A arrives last. */
    static FeatureState scenario(FeatureSettings settings) {
        FeatureState s = new FeatureState();
        s.apply(new UserAcquired("u", Instant.parse("2024-03-01T10:00:00Z"), "m-1"));
        s.apply(event("2024-03-01T10:00:00Z", VIEW, null, "A"), settings);
        s.apply(event("2024-03-01T10:20:00Z", VIEW, null, "B"), settings);                          // 20 min later: same session
        s.apply(event("2024-03-01T10:49:59Z", PURCHASE, "30.00005", "A", "B", "POST"), settings);   // 29:59 later: same session
        s.apply(event("2024-03-11T10:00:00Z", PURCHASE, "20", "A"), settings);                      // session 2
        s.apply(event("2024-03-21T10:00:00Z", REFUND, "-5", "B"), settings);                        // session 3; refunds add no interest
        s.apply(event("2024-03-05T10:00:00Z", VIEW, null, "A"), settings);                          // late: no new session
        return s;
    }

    static double decayed(String at, double x) {
        double elapsedDays = Duration.between(Instant.parse(at), T).toSeconds() / 86_400.0;
        return x * Math.pow(2, -elapsedDays / 30.0);
    }

    @Test
    void everyFeatureOfTheScenarioAsWorkedOutByHand() {
        FeatureSettings settings = FeatureSettings.DEFAULTS;
        FeatureState s = scenario(settings);
        Map<String, List<String>> categories = Map.of("A", List.of("kitchen"), "B", List.of("lighting", "kitchen"), "POST", List.of("fees"));
        UserFeatures f = FeatureCalculator.compute("u", new FeatureCalculator.Inputs(s, s.days, s.items, categories), T,
                UserFeatures.AS_OF, settings, 5);

        assertThat(f.tenureDays()).isEqualTo(40.0);                 // 1 March 10:00 -> 10 April 10:00
        assertThat(f.activities()).isEqualTo(6);
        assertThat(f.sessions()).isEqualTo(3);                      // {10:00, 10:20, 10:49:59, late 5 March}, 11 March, 21 March
        assertThat(f.recencyDays()).isEqualTo(20.0);                // last activity 21 March
        assertThat(f.purchaseRecencyDays()).isEqualTo(30.0);        // last purchase 11 March
        assertThat(f.purchases()).isEqualTo(2);
        // (11 March 10:00 - 1 March 10:49:59) / (2 - 1) = 9 d 23 h 10 min 1 s = 9.96529 days
        assertThat(f.meanInterPurchaseDays()).isEqualTo(9.9653);
        assertThat(f.revenue()).isEqualByComparingTo("50.0001");    // 30.00005 rounded half-up per event, + 20
        assertThat(f.refunded()).isEqualByComparingTo("5");
        assertThat(f.netRevenue()).isEqualByComparingTo("45.0001");
        assertThat(f.averageOrderValue()).isEqualByComparingTo("25.0001");
        // days 14 March..10 April: the refund; 15 Feb..13 March: 3 on 1 March, 5 March, 11 March
        assertThat(f.activityLast4Weeks()).isEqualTo(1);
        assertThat(f.activityPrevious4Weeks()).isEqualTo(5);
        assertThat(f.activityTrend()).isEqualTo(-0.6667);           // (1 - 5) / (1 + 5)

        double a = decayed("2024-03-01T10:00:00Z", 1) + decayed("2024-03-01T10:49:59Z", 3) + decayed("2024-03-11T10:00:00Z", 3)
                + decayed("2024-03-05T10:00:00Z", 1);
        double b = decayed("2024-03-01T10:20:00Z", 1) + decayed("2024-03-01T10:49:59Z", 3);
        assertThat(f.categoryInterests()).extracting(UserFeatures.CategoryWeight::category).containsExactly("kitchen", "lighting");
        assertThat(f.categoryInterests().get(0).weight()).isCloseTo(a + b, within(1e-12));
        assertThat(f.categoryInterests().get(1).weight()).isCloseTo(b, within(1e-12));
        assertThat(f.categoryInterests().get(1).share()).isEqualTo(Math.round(b / (a + 2 * b) * 10_000) / 10_000.0);
    }

    @Test
    void aWeightHalvesEveryHalfLifeAndLateEventsAreDecayedToTheSumsInstant() {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Decay.Point p = Decay.add(Decay.Point.EMPTY, 1, t0, H);
        assertThat(Decay.valueAt(p, t0.plus(H), H)).isEqualTo(0.5);
        assertThat(Decay.valueAt(p, t0.plus(H.multipliedBy(3)), H)).isEqualTo(0.125);
        // a contribution of 4 at t0 + 2h, then a late one of 2 at t0 + h: stored at t0 + 2h as 1/4 + 4 + 2/2
        Decay.Point q = Decay.add(Decay.add(p, 4, t0.plus(H.multipliedBy(2)), H), 2, t0.plus(H), H);
        assertThat(q.asOf()).isEqualTo(t0.plus(H.multipliedBy(2)));
        assertThat(q.weight()).isEqualTo(5.25);
        assertThat(q.events()).isEqualTo(3);
        // read before the sum's instant (an event beyond the watermark): no growth
        assertThat(Decay.valueAt(q, t0, H)).isEqualTo(5.25);
    }

    @Test
    void theOrderOfArrivalChangesNoDecayedSumBeyondRounding() {
        FeatureSettings settings = FeatureSettings.DEFAULTS;
        FeatureState inOrder = new FeatureState();
        for (String at : List.of("2024-03-01T10:00:00Z", "2024-03-05T10:00:00Z", "2024-03-09T10:00:00Z")) {
            inOrder.apply(event(at, VIEW, null, "A"), settings);
        }
        FeatureState shuffled = new FeatureState();
        for (String at : List.of("2024-03-09T10:00:00Z", "2024-03-01T10:00:00Z", "2024-03-05T10:00:00Z")) {
            shuffled.apply(event(at, VIEW, null, "A"), settings);
        }
        assertThat(Decay.valueAt(shuffled.items.get("A"), T, H)).isCloseTo(Decay.valueAt(inOrder.items.get("A"), T, H), within(1e-15));
        // sessions are counted in arrival order: three days apart, in order three sessions; the two late ones join none
        assertThat(inOrder.sessions).isEqualTo(3);
        assertThat(shuffled.sessions).isEqualTo(1);
    }

    @Test
    void withoutPurchasesTheMoneyFeaturesAreZeroAndThePurchaseTimesUndefined() {
        FeatureState s = new FeatureState();
        s.apply(event("2024-04-01T09:00:00Z", VIEW, null), FeatureSettings.DEFAULTS);
        UserFeatures f = FeatureCalculator.compute("u", new FeatureCalculator.Inputs(s, s.days, s.items, Map.of()), T,
                UserFeatures.AS_OF, FeatureSettings.DEFAULTS, 5);
        assertThat(f.purchases()).isZero();
        assertThat(f.purchaseRecencyDays()).isNull();
        assertThat(f.meanInterPurchaseDays()).isNull();
        assertThat(f.averageOrderValue()).isNull();
        assertThat(f.tenureDays()).isNull();                         // not acquired yet (an import still recording)
        assertThat(f.activityTrend()).isEqualTo(1.0);                // all in the last 4 weeks
        assertThat(f.categoryInterests()).isEmpty();
    }
}
