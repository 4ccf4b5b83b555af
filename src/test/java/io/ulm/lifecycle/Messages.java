package io.ulm.lifecycle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ulm.lifecycle.api.Observation;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Builds observations for the lifecycle tests, classified by the shipped default rules. */
final class Messages {

    static final LifecycleRules RULES = LifecycleRulesLoader.defaults();
    static final Instant T0 = Instant.parse("2024-01-01T10:00:00Z");

    private Messages() {
    }

    static Instant day(double d) {
        return T0.plus(Duration.ofMinutes(Math.round(d * 24 * 60)));
    }

    static Observation track(String id, Instant at, String event) {
        ActivityKind kind = ActivityKind.classify(RULES.classification(), "track", event);
        BigDecimal revenue = kind.purchase() ? new BigDecimal("10.00") : null;
        return new Observation(id, "track", event, at, at, kind, JsonNodeFactory.instance.objectNode(), null, null,
                revenue, revenue == null ? null : "GBP", List.of(), null, null, null);
    }

    static Observation view(String id, Instant at) {
        return track(id, at, "Product Viewed");
    }

    static Observation purchase(String id, Instant at) {
        return track(id, at, "Order Completed");
    }

    static Observation page(String id, Instant at) {
        ActivityKind kind = ActivityKind.classify(RULES.classification(), "page", "Home");
        return new Observation(id, "page", "Home", at, at, kind, JsonNodeFactory.instance.objectNode(), null, null,
                null, null, List.of(), null, null, null);
    }

    static Observation identify(String id, Instant at) {
        return new Observation(id, "identify", null, at, at, ActivityKind.NONE, null,
                JsonNodeFactory.instance.objectNode().put("plan", "pro"), null, null, null, List.of(), null, null, null);
    }
}
