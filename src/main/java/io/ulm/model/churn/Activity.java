package io.ulm.model.churn;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One activity of a user in event time. {@code revenue} is the signed money of the event as recorded (a purchase is
 * positive, a refund is usually negative; the features use its absolute value for refunds), {@link BigDecimal#ZERO}
 * for activities without money.
 */
public record Activity(Instant at, boolean purchase, boolean refund, BigDecimal revenue) {

    public Activity {
        Objects.requireNonNull(at, "at");
        revenue = revenue == null ? BigDecimal.ZERO : revenue;
        if (purchase && refund) {
            throw new IllegalArgumentException("an activity is a purchase or a refund, not both");
        }
    }

    public static Activity view(Instant at) {
        return new Activity(at, false, false, BigDecimal.ZERO);
    }

    public static Activity purchase(Instant at, BigDecimal revenue) {
        return new Activity(at, true, false, revenue);
    }

    public static Activity refund(Instant at, BigDecimal revenue) {
        return new Activity(at, false, true, revenue);
    }
}
