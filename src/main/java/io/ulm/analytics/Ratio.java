package io.ulm.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Shares and probabilities as reported: 4 decimals, half-up, and null when the denominator is 0. */
final class Ratio {

    private Ratio() {
    }

    static Double of(long numerator, long denominator) {
        if (denominator == 0) {
            return null;
        }
        return BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 4, RoundingMode.HALF_UP).doubleValue();
    }
}
