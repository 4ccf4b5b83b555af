package io.ulm.winback;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The counting rules of the results, without a database: the user is the unit, a return is credited once. */
class CampaignResultsTest {

    private static final WinbackPolicy POLICY = WinbackPolicies.load(Path.of(WinbackCampaignsProfile.DIRECTORY)).get("results-test");
    private static final Instant T = Instant.parse("2024-03-01T00:00:00Z");

    private static Instant day(int d) {
        return T.plus(Duration.ofDays(d));
    }

    @Test
    void aUserWithTwoReturnsCountsOnceAndOnlyRevenueInsideHerFirstWindowCounts() {
        List<CampaignResults.Episode> episodes = List.of(
                new CampaignResults.Episode("ann", "nudge", day(0), day(2), Outcome.WON_BACK),
                new CampaignResults.Episode("ann", "nudge", day(60), day(61), Outcome.WON_BACK),   // after the cooldown
                new CampaignResults.Episode("ben", "nudge", day(0), day(14), Outcome.LOST),
                new CampaignResults.Episode("cat", "holdout", day(0), day(14), Outcome.LOST),
                new CampaignResults.Episode("dan", "holdout", day(5), null, null));
        Map<String, List<CampaignResults.Money>> money = Map.of("ann", List.of(
                new CampaignResults.Money(day(-5), new BigDecimal("99")),     // before entry
                new CampaignResults.Money(day(2), new BigDecimal("20")),      // the return itself
                new CampaignResults.Money(day(10), new BigDecimal("-5")),     // a refund inside the window
                new CampaignResults.Money(day(14), new BigDecimal("70")),     // at the window's end: outside
                new CampaignResults.Money(day(61), new BigDecimal("33"))));   // her second return: not credited again
        CampaignResults.Results r = CampaignResults.compute(POLICY, episodes,
                new CampaignResults.Messages(Map.of("ann", 2L, "ben", 2L), Map.of("ben", 1L)), money, 0.95);

        assertThat(r.entered()).isEqualTo(4);
        CampaignResults.ArmResult holdout = r.arms().get(0);
        assertThat(holdout.arm()).isEqualTo("holdout");
        assertThat(List.of(holdout.entered(), holdout.running(), holdout.decided(), holdout.returned())).containsExactly(2L, 1L, 1L, 0L);
        CampaignResults.ArmResult nudge = r.arms().get(1);
        assertThat(List.of(nudge.entered(), nudge.decided(), nudge.messaged(), nudge.reminders(), nudge.offers(), nudge.returned()))
                .containsExactly(2L, 2L, 2L, 4L, 1L, 1L);
        assertThat(nudge.returnRate()).isEqualTo(0.5);
        assertThat(nudge.revenueAfterReturn()).isEqualByComparingTo("15");
        assertThat(nudge.uplift().difference()).isEqualTo(0.5);
        assertThat(nudge.uplift().ciLow()).isLessThan(0);
    }

    @Test
    void anEpisodeEndedByErasureIsEnteredButNeitherRunningNorDecided() {
        List<CampaignResults.Episode> episodes = List.of(
                new CampaignResults.Episode("erased-pseudonym", "nudge", day(0), day(3), Outcome.ERASED),
                new CampaignResults.Episode("ben", "nudge", day(0), day(14), Outcome.LOST),
                new CampaignResults.Episode("cat", "holdout", day(0), day(14), Outcome.LOST));
        CampaignResults.Results r = CampaignResults.compute(POLICY, episodes,
                new CampaignResults.Messages(Map.of(), Map.of()), Map.of(), 0.95);

        CampaignResults.ArmResult nudge = r.arms().get(1);
        assertThat(List.of(nudge.entered(), nudge.running(), nudge.decided(), nudge.returned())).containsExactly(2L, 0L, 1L, 0L);
        assertThat(nudge.returnRate()).isEqualTo(0.0);
    }
}
