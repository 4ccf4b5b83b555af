package io.ulm.lifecycle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.lifecycle.api.AdvanceLifecycleClock;
import io.ulm.lifecycle.api.Observation;
import io.ulm.lifecycle.api.RecordActivity;
import io.ulm.lifecycle.api.RecordSegmentChanges;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.ulm.lifecycle.Messages.RULES;
import static io.ulm.lifecycle.Messages.day;

/**
 * Lifecycle scenarios for the event contract test ({@code io.ulm.contract.EventContractTest}): they
 * drive {@link UserLifecycle} through Axon's aggregate fixture so that it emits every domain event
 * type and every stage, with the shapes ingestion produces (encrypted personal values, minimised
 * context, purchases with revenue and items, late messages, null traits, unnamed screens).
 */
public final class ContractScenarios {

    /** A named run of commands and every event payload the aggregate published for it. */
    public record Scenario(String name, List<Object> events) {
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String KEY_ID = "1c64528d-b813-4638-aae1-034e87c5dc3c";

    private ContractScenarios() {
    }

    public static List<Scenario> all() {
        return List.of(
                new Scenario("visitor becomes loyal, lapses, churns and comes back", LifecycleFixture.run(fullLife())),
                new Scenario("identified only, never active, lapses", LifecycleFixture.run(identifiedOnly())),
                new Scenario("anonymous visitor with a refund and a bare group", LifecycleFixture.run(anonymousVisitor())),
                new Scenario("buyer enters, re-enters (no-op) and moves between segments", LifecycleFixture.run(segmentMoves())),
                new Scenario("churn risk raised once, again only after she came back", LifecycleFixture.run(churnRisk())),
                new Scenario("customer erased: nothing recorded or decided afterwards", LifecycleFixture.run(erased())));
    }

    private static Object[] fullLife() {
        String u = "user-42";
        return new Object[]{
                live(u,
                        page("m-page-1", day(0), "Home"),
                        identify("m-identify-1", day(0.01), traits(), "anon:anon-5d1c"),
                        group("m-group-1", day(0.02), "acme", groupTraits()),
                        alias("m-alias-1", day(0.03), "anon-77aa"),
                        track("m-view-1", day(0.1), "Product Viewed", viewed("sku-7")),
                        track("m-view-2", day(0.2), "Product Viewed", viewed("sku-9")),
                        track("m-view-3", day(0.3), "Product Viewed", viewed("sku-7"))),          // ACTIVATED
                live(u,
                        track("m-view-4", day(1), "Product Viewed", viewed("sku-3")),
                        track("m-view-5", day(2), "Product Viewed", viewed("sku-4"))),            // ENGAGED
                live(u, purchase("m-order-1", day(3), "25.50", "sku-7", "sku-9")),              // MONETIZED
                live(u,
                        purchase("m-order-2", day(4), "12.75", "sku-3"),
                        purchase("m-order-3", day(5), "99.99", "sku-4", "sku-5", "sku-7"),      // LOYAL
                        screen("m-screen-1", day(5.5), null)),
                live(u, track("m-view-late", day(1.5), "Product Viewed", viewed("sku-1"))),      // late
                sweep(u, day(40)),                                                              // AT_RISK
                sweep(u, day(100)),                                                             // CHURNED
                live(u, screen("m-screen-2", day(120), "Basket")),                              // REACTIVATED
                live(u,
                        track("m-view-6", day(121), "Product Viewed", viewed("sku-2")),
                        track("m-view-7", day(122), "Product Viewed", viewed("sku-2")))          // ENGAGED again
        };
    }

    private static Object[] identifiedOnly() {
        String u = "user-43";
        return new Object[]{
                live(u, identify("m-identify-2", day(0), null, null)),
                sweep(u, day(31)),
                sweep(u, day(91))
        };
    }

    private static Object[] anonymousVisitor() {
        String u = "anon:anon-91fe";
        Observation refund = new Observation("m-refund-1", "track", "Order Refunded", day(2), day(2.001),
                classify("track", "Order Refunded"), JSON.objectNode().put("order_id", "o-1001").put("revenue", -25.5),
                null, context(), new BigDecimal("-25.50"), "GBP", List.of(), null, null, null);
        return new Object[]{
                new RecordActivity(u, List.of(page("m-page-2", day(0), null), group("m-group-2", day(0.5), "1807", null)),
                        null), // an import: record only, decide later
                new RecordActivity(u, List.of(refund), day(2)),
                sweep(u, day(33))
        };
    }

    private static Object[] segmentMoves() {
        String u = "user-44";
        Instant w1 = day(10);
        Instant w2 = day(50);
        return new Object[]{
                live(u, purchase("m-order-44", day(3), "40.00", "sku-7")),
                segments(u, w1, 1, List.of(rfm("champions", 5, 5), rule()), List.of()),
                segments(u, w1, 2, List.of(rfm("champions", 5, 5), rule()), List.of()),                 // emits nothing
                segments(u, w2, 3, List.of(rfm("at-risk", 2, 5)), List.of(rfm("champions", 2, 5)))        // a move
        };
    }

    private static Object[] churnRisk() {
        String u = "user-45";
        return new Object[]{
                live(u, purchase("m-order-45", day(3), "40.00", "sku-7")),
                risk(u, 0.81, day(40)),                                                         // raised
                risk(u, 0.90, day(41)),                                                         // emits nothing
                live(u, page("m-page-45", day(42), "Home")),                                   // she came back
                risk(u, 0.75, day(80))                                                          // raised again
        };
    }

    static Object[] erased() {
        String u = "user-46";
        return new Object[]{
                live(u, purchase("m-order-46", day(3), "40.00", "sku-7")),
                erase(u),                                                                       // UserErased
                live(u, page("m-page-46", day(5), "Home")),                                    // emits nothing
                sweep(u, day(200)),                                                             // emits nothing
                risk(u, 0.9, day(60)),                                                          // emits nothing
                erase(u)                                                                        // emits nothing
        };
    }

    private static io.ulm.lifecycle.api.EraseUser erase(String user) {
        return new io.ulm.lifecycle.api.EraseUser(user, "erased:5b0c7a3e-2f7d-4c61-9a53-0e7b1d2c9f10", day(100), "admin");
    }

    private static io.ulm.lifecycle.api.RecordChurnRisk risk(String user, double score, Instant at) {
        return new io.ulm.lifecycle.api.RecordChurnRisk(user, score, 0.7, 1, 1, at,
                java.util.Map.of("recencyDays", 37.0, "frequency", 1, "monetary", 40.0));
    }

    private static RecordSegmentChanges segments(String user, Instant at, long evaluation, List<RecordSegmentChanges.Change> entered,
                                                 List<RecordSegmentChanges.Change> left) {
        return new RecordSegmentChanges(user, entered, left, at, evaluation);
    }

    private static RecordSegmentChanges.Change rfm(String segment, int r, int f) {
        return new RecordSegmentChanges.Change("rfm:" + segment, "R " + r + ", F " + f,
                Map.of("recencyDays", r == 5 ? 7 : 47, "frequency", 1, "monetary", new BigDecimal("40.00"), "r", r, "f", f, "m", 3));
    }

    private static RecordSegmentChanges.Change rule() {
        return new RecordSegmentChanges.Change("rule:big-basket", "matches rule big-basket",
                Map.of("rule", "big-basket", "file", "projections/segments/big-basket.yaml", "version", "sha256:0a1b2c3d4e5f"));
    }

    private static RecordActivity live(String user, Observation... observations) {
        Instant latest = List.of(observations).stream().map(Observation::at).max(Instant::compareTo).orElseThrow();
        return new RecordActivity(user, List.of(observations), latest);
    }

    private static AdvanceLifecycleClock sweep(String user, Instant upTo) {
        return new AdvanceLifecycleClock(user, upTo);
    }

    private static ActivityKind classify(String type, String event) {
        return ActivityKind.classify(RULES.classification(), type, event);
    }

    private static Observation track(String id, Instant at, String event, ObjectNode properties) {
        return new Observation(id, "track", event, at, at.plusMillis(850), classify("track", event), properties, null,
                context(), null, null, itemIds(properties), null, null, null);
    }

    private static Observation purchase(String id, Instant at, String revenue, String... items) {
        ObjectNode properties = JSON.objectNode().put("order_id", "o-" + id).put("revenue", new BigDecimal(revenue))
                .put("currency", "GBP");
        properties.set("email", encrypted("S2V5IGFuZCBub25jZSBhbmQgY2lwaGVydGV4dCBoZXJl"));
        for (String item : items) {
            properties.withArray("products").addObject().put("product_id", item).put("quantity", 1);
        }
        return new Observation(id, "track", "Order Completed", at, at.plusSeconds(1), classify("track", "Order Completed"),
                properties, null, context(), new BigDecimal(revenue), "GBP", List.of(items), null, null, null);
    }

    private static Observation page(String id, Instant at, String name) {
        return new Observation(id, "page", name, at, at, classify("page", name), JSON.objectNode().put("path", "/"),
                null, context(), null, null, List.of(), null, null, null);
    }

    private static Observation screen(String id, Instant at, String name) {
        return new Observation(id, "screen", name, at, at, classify("screen", name), JSON.objectNode(), null,
                JSON.objectNode().set("app", JSON.objectNode().put("name", "Shop").put("version", "4.2.0")),
                null, null, List.of(), null, null, null);
    }

    private static Observation identify(String id, Instant at, ObjectNode traits, String linkedId) {
        return new Observation(id, "identify", null, at, at, classify("identify", null), null, traits, context(),
                null, null, List.of(), null, null, linkedId == null ? List.of() : List.of(linkedId));
    }

    private static Observation group(String id, Instant at, String groupId, ObjectNode traits) {
        return new Observation(id, "group", null, at, at, classify("group", null), null, traits, context(),
                null, null, List.of(), groupId, null, null);
    }

    private static Observation alias(String id, Instant at, String previousId) {
        return new Observation(id, "alias", null, at, at, classify("alias", null), null, null, context(),
                null, null, List.of(), null, previousId, List.of(previousId, "anon:" + previousId));
    }

    private static ObjectNode viewed(String productId) {
        return JSON.objectNode().put("product_id", productId).put("category", "Books");
    }

    private static List<String> itemIds(ObjectNode properties) {
        return properties.hasNonNull("product_id") ? List.of(properties.get("product_id").asText()) : List.of();
    }

    private static ObjectNode traits() {
        ObjectNode traits = JSON.objectNode().put("plan", "pro").put("country", "GB");
        traits.set("email", encrypted("Eu73Wj242F+eVu6EdtGpGeXYM1pg6iEH/OzjfIc0YgQROks="));
        return traits;
    }

    private static ObjectNode groupTraits() {
        ObjectNode traits = JSON.objectNode().put("plan", "enterprise").put("employees", 120);
        traits.set("name", encrypted("VlGr4k4UHjVguXsyUQQxvesD9ZfoOWfz76SjXE7LkYB9U2F0Dr42HImL"));
        return traits;
    }

    private static ObjectNode encrypted(String base64) {
        return JSON.objectNode().put("$encrypted", "v1." + KEY_ID + "." + base64);
    }

    private static ObjectNode context() {
        ObjectNode context = JSON.objectNode().put("locale", "en-GB");
        context.set("library", JSON.objectNode().put("name", "analytics.js").put("version", "5.2.0"));
        return context;
    }
}
