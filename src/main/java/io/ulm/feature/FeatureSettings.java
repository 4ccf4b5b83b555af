package io.ulm.feature;

import io.ulm.lifecycle.ActivityKind;
import io.ulm.platform.UlmConfig;

import java.time.Duration;
import java.util.List;

/** The settings that shape features ({@code ulm.features.*}, UlmConfig.Features), as plain values for the pure fold. */
public record FeatureSettings(Duration halfLife, double viewWeight, double purchaseWeight, double refundWeight,
                              Duration sessionGap, int topCategories, List<String> excludedCategories) {

    public static final FeatureSettings DEFAULTS = new FeatureSettings(Duration.ofDays(30), 1, 3, 0, Duration.ofMinutes(30), 5, List.of("fees"));

    public FeatureSettings {
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("ulm.features.category-half-life must be positive, not " + halfLife);
        }
        excludedCategories = List.copyOf(excludedCategories);
    }

    public static FeatureSettings of(UlmConfig.Features f) {
        return new FeatureSettings(f.categoryHalfLife(), f.viewWeight(), f.purchaseWeight(), f.refundWeight(), f.sessionGap(),
                f.topCategories(), f.excludedCategories());
    }

    /** The interest weight of each item of an activity of this kind. */
    double interestWeight(ActivityKind kind) {
        if (kind.purchase()) {
            return purchaseWeight;
        }
        return kind.refund() ? refundWeight : viewWeight;
    }
}
