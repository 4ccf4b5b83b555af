package io.ulm.winback;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule judging a trigger against the watermark (docs/winback.md "History"), without Quarkus. */
class JudgementTest {

    private static final Instant W = Instant.parse("2025-06-30T12:00:00Z");
    private static final Duration STALE = Duration.ofDays(7);
    private static final Duration WINDOW = Duration.ofDays(14);

    private static Instant daysBefore(double days) {
        return W.minusSeconds((long) (days * 86_400));
    }

    @Test
    void aLiveTriggerSendsItsFirstStepThoughTheWatermarkHasPassedIt() {
        Instant t = W.minusSeconds(5);   // decided by the sweep once the watermark passed the threshold
        Judgement j = Judgement.of(W, STALE, t.plus(WINDOW), null);
        assertThat(j.historic()).isFalse();
        assertThat(j.sends(t)).isTrue();
        assertThat(j.sends(t.plus(Duration.ofDays(3)))).isTrue();
    }

    @Test
    void anEpisodeOverBeforeTheToleranceIsHistoric() {
        Instant t = daysBefore(30);
        assertThat(Judgement.of(W, STALE, t.plus(WINDOW), null).historic()).as("window ended 16 days ago").isTrue();
        assertThat(Judgement.of(W, STALE, daysBefore(8), null).historic()).as("window ended 8 days ago").isTrue();
        assertThat(Judgement.of(W, STALE, daysBefore(6), null).historic()).as("window ended within stale-after: caught up, live").isFalse();
        Instant older = daysBefore(10);
        assertThat(Judgement.of(W, STALE, older.plus(WINDOW), daysBefore(8)).historic()).as("back 8 days ago").isTrue();
        Instant recent = daysBefore(2);
        assertThat(Judgement.of(W, STALE, recent.plus(WINDOW), daysBefore(1)).historic())
                .as("back yesterday: as a saga without lag would have run it").isFalse();
        assertThat(Judgement.of(W, STALE, recent.plus(WINDOW), W.plusSeconds(1)).historic()).as("back after the watermark").isFalse();
        Judgement over = Judgement.of(W, STALE, t.plus(WINDOW), null);
        assertThat(over.sends(W)).as("a historic episode sends nothing, not even what is due now").isFalse();
    }

    @Test
    void aSagaLaggingLessThanStaleAfterDecidesAsOneThatDoesNot() {
        Instant t = daysBefore(20);
        Instant windowEnd = t.plus(WINDOW);
        Instant back = t.plus(Duration.ofDays(2));
        Judgement onTime = Judgement.of(t.plusSeconds(5), STALE, windowEnd, null);
        Judgement late = Judgement.of(t.plus(Duration.ofDays(6)), STALE, windowEnd, back);   // 6 days behind, she is back
        assertThat(late.historic()).isEqualTo(onTime.historic()).isFalse();
        for (Instant step : new Instant[]{t, t.plus(Duration.ofDays(3))}) {
            assertThat(late.sends(step)).as("step at " + step).isEqualTo(onTime.sends(step)).isTrue();
        }
    }

    @Test
    void aRunningEpisodeSendsOnlyWhatIsDueAfterTheWatermarkMinusStaleAfter() {
        Instant t = daysBefore(9);   // window open until 5 days after the watermark
        Judgement j = Judgement.of(W, STALE, t.plus(WINDOW), null);
        assertThat(j.historic()).isFalse();
        assertThat(j.liveFrom()).isEqualTo(W.minus(STALE));
        assertThat(j.sends(t)).as("the reminder, 9 days late").isFalse();
        assertThat(j.sends(t.plus(Duration.ofDays(3)))).as("the offer, 6 days late").isTrue();
        assertThat(j.sends(W.minus(STALE))).isTrue();
        assertThat(j.sends(W.minus(STALE).minusMillis(1))).isFalse();
    }

    @Test
    void withoutAWatermarkEverythingIsLive() {
        Judgement j = Judgement.of(null, STALE, W, null);
        assertThat(j).isEqualTo(Judgement.LIVE);
        assertThat(j.sends(Instant.EPOCH)).isTrue();
    }
}
