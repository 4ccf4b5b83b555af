package io.ulm.winback;

import java.time.Duration;
import java.time.Instant;

/**
 * How a trigger is judged against the lifecycle watermark (event time, docs/winback.md "History"), with
 * {@code liveFrom} = watermark − {@code stale-after}: an episode already over before {@code liveFrom} (her outcome window
 * ended, or she came back) is <b>historic</b> and sends nothing; any other sends only the steps due at or after
 * {@code liveFrom}, the older ones are recorded as skipped. The tolerance applies to both alike, so a saga that lags
 * the log by less than {@code stale-after} decides exactly as one that does not (live traffic is judged within
 * seconds of the trigger); an import of old messages is judged against a watermark far past it. Plain Java: no clock,
 * no I/O.
 *
 * @param judgedAt the watermark (null: none yet, everything is live)
 * @param historic over before {@code liveFrom}: nothing of the episode is sent
 * @param liveFrom steps due before this are history (null: none)
 */
public record Judgement(Instant judgedAt, boolean historic, Instant liveFrom) {

    /** Live, with nothing to skip: no watermark, or an episode stored before judgements existed. */
    public static final Judgement LIVE = new Judgement(null, false, null);

    /**
     * @param watermark  the lifecycle watermark when the trigger is handled (null: none)
     * @param staleAfter how far behind the watermark a step may still be sent
     * @param windowEnd  the end of the episode's outcome window
     * @param returnedAt her return that ends the episode WON_BACK, when her stream already has it (else null)
     */
    public static Judgement of(Instant watermark, Duration staleAfter, Instant windowEnd, Instant returnedAt) {
        if (watermark == null) {
            return LIVE;
        }
        Instant liveFrom = watermark.minus(staleAfter);
        boolean over = windowEnd.isBefore(liveFrom) || (returnedAt != null && returnedAt.isBefore(liveFrom));
        return new Judgement(watermark, over, liveFrom);
    }

    /** Whether an action due at event time {@code at} goes to the outbox. */
    public boolean sends(Instant at) {
        return !historic && (liveFrom == null || !at.isBefore(liveFrom));
    }
}
