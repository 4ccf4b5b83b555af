package io.ulm.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.lifecycle.ActivityKind;
import io.ulm.lifecycle.Cursor;
import io.ulm.lifecycle.Stage;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.TraitsUpdated;
import io.ulm.lifecycle.api.UserAcquired;
import io.ulm.platform.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The timeline built from a log, without a server: nesting, order, unknown event types, paging, masking. */
class TimelineEntriesTest {

    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
    private static final ActivityKind VIEW = new ActivityKind(true, true, false, false);
    private static final ActivityKind PURCHASE = new ActivityKind(true, true, true, false);

    private final List<AuditLog.LoggedEvent> log = new ArrayList<>();

    private void add(Object payload) {
        String type = payload instanceof JsonNode ? "io.ulm.segment.api.UserEnteredSegment" : payload.getClass().getName();
        log.add(new AuditLog.LoggedEvent(log.size(), T0.plus(Duration.ofDays(100)).plusSeconds(log.size()), type, payload));
    }

    private static ActivityRecorded activity(String id, Instant at, String event, ActivityKind kind, boolean late) {
        return new ActivityRecorded("ada", id, "track", event, at, at, kind, null, null,
                kind.purchase() ? new BigDecimal("30") : null, kind.purchase() ? "GBP" : null,
                kind.purchase() ? List.of("sku-7") : List.of(), late);
    }

    private static StageChanged stage(Stage from, Stage to, Instant at, String rule, String cause, Map<String, Object> evidence) {
        return new StageChanged("ada", from, to, at, rule, evidence, cause, at, new Cursor(at, cause == null ? "" : cause, 2));
    }

    /** A first purchase, an identify, 30 quiet days, a comeback; an import-like log (decisions after the messages). */
    private void history() {
        Instant atRisk = T0.plus(Duration.ofDays(30));
        Instant comeback = T0.plus(Duration.ofDays(40));
        add(activity("m1", T0, "Order Completed", PURCHASE, false));                       // 0
        add(new TraitsUpdated("ada", "m2", T0.plusSeconds(60), Json.mapper().createObjectNode()
                .put("plan", "pro").set("email", Json.mapper().createObjectNode().put("$encrypted", "v1.k.xyz")), null)); // 1
        add(activity("m3", comeback, "Product Viewed", VIEW, false));                       // 2
        add(new UserAcquired("ada", T0, "m1"));                                                 // 3
        add(stage(null, Stage.ACQUIRED, T0, "acquired", "m1", Map.of("firstMessageId", "m1")));            // 4
        add(stage(Stage.ACQUIRED, Stage.MONETIZED, T0, "monetized", "m1", Map.of("purchaseMessageId", "m1"))); // 5
        add(stage(Stage.MONETIZED, Stage.AT_RISK, atRisk, "at_risk", null,
                Map.of("lastActivityAt", T0.toString(), "inactiveFor", "P30D")));                  // 6
        add(stage(Stage.AT_RISK, Stage.REACTIVATED, comeback, "reactivated", "m3", Map.of("previousStage", "AT_RISK"))); // 7
        add(Json.mapper().createObjectNode().put("userId", "ada").put("segmentId", "champions")
                .put("at", comeback.plusSeconds(1).toString()));                                 // 8: a type this code does not know
    }

    @Test
    void messagesCarryTheTransitionsTheyCausedAndInactivityStandsAtItsEventTime() {
        history();
        List<Timeline.Entry> entries = Timeline.entries(log, PersonalValues::mask);

        assertThat(entries).extracting(Timeline.Entry::sequence).as("event-time order").containsExactly(0L, 3L, 1L, 6L, 2L, 8L);
        Timeline.Entry purchase = entries.get(0);
        assertThat(purchase.type()).isEqualTo("ActivityRecorded");
        assertThat(purchase.messageId()).isEqualTo("m1");
        assertThat(purchase.summary()).isEqualTo("track \"Order Completed\": revenue 30 GBP; items sku-7");
        assertThat(purchase.transitions()).extracting(t -> t.from() + ">" + t.to() + " by " + t.ruleId())
                .containsExactly("null>ACQUIRED by acquired", "ACQUIRED>MONETIZED by monetized");
        assertThat(purchase.transitions().get(1).evidence().path("purchaseMessageId").asText()).isEqualTo("m1");
        assertThat(purchase.transitions().get(1).storedAt()).as("decided when stored").isEqualTo(log.get(5).storedAt());

        Timeline.Entry identify = entries.get(2);
        assertThat(identify.summary()).isEqualTo("identify: traits plan, email");
        assertThat(identify.payload().path("traits").path("email").asText()).isEqualTo("[personal]");
        assertThat(identify.payload().toString()).doesNotContain("$encrypted");

        Timeline.Entry atRisk = entries.get(3);
        assertThat(atRisk.type()).isEqualTo("StageChanged");
        assertThat(atRisk.messageId()).isNull();
        assertThat(atRisk.at()).isEqualTo(T0.plus(Duration.ofDays(30)));
        assertThat(atRisk.summary()).isEqualTo("MONETIZED -> AT_RISK by rule at_risk (inactivity)");
        assertThat(atRisk.transitions()).singleElement().satisfies(t -> {
            assertThat(t.ruleId()).isEqualTo("at_risk");
            assertThat(t.evidence().path("inactiveFor").asText()).isEqualTo("P30D");
        });

        assertThat(entries.get(4).transitions()).extracting(Timeline.Transition::to).containsExactly("REACTIVATED");

        Timeline.Entry segment = entries.get(5);
        assertThat(segment.type()).as("an unknown type, by its simple name").isEqualTo("UserEnteredSegment");
        assertThat(segment.summary()).isEqualTo("UserEnteredSegment: segmentId=champions");
        assertThat(segment.payload().path("segmentId").asText()).isEqualTo("champions");
        assertThat(segment.at()).isEqualTo(T0.plus(Duration.ofDays(40)).plusSeconds(1));
    }

    @Test
    void atTheSameInstantInactivityComesFirstAndAnEventWithoutTimeStaysWhereItWasRecorded() {
        Instant t = T0.plus(Duration.ofDays(30));
        add(activity("m1", T0, "Product Viewed", VIEW, false));
        add(activity("m2", t, "Product Viewed", VIEW, false));
        add(stage(Stage.ACQUIRED, Stage.AT_RISK, t, "at_risk", null, Map.of()));
        add(Json.mapper().createObjectNode().put("userId", "ada").put("note", "no time"));
        List<Timeline.Entry> entries = Timeline.entries(log, PersonalValues::mask);
        assertThat(entries).extracting(Timeline.Entry::sequence).containsExactly(0L, 2L, 1L, 3L);
        assertThat(entries.get(3).at()).isEqualTo(t);
    }

    @Test
    void lateMessagesAreFlagged() {
        add(activity("m1", T0.plusSeconds(10), "Product Viewed", VIEW, false));
        add(activity("m0", T0, "Product Viewed", VIEW, true));
        List<Timeline.Entry> entries = Timeline.entries(log, PersonalValues::mask);
        assertThat(entries).extracting(e -> e.messageId() + ":" + e.late()).containsExactly("m0:true", "m1:false");
    }

    @Test
    void pagesFollowEachOtherAndAnUnknownPositionIsRefused() {
        history();
        List<Long> seen = new ArrayList<>();
        Long after = null;
        int pages = 0;
        do {
            Timeline.Page page = Timeline.page("ada", log, after, 4, PersonalValues::mask);
            assertThat(page.events()).isEqualTo(log.size());
            page.entries().forEach(e -> seen.add(e.sequence()));
            after = page.next();
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactly(0L, 3L, 1L, 6L, 2L, 8L);
        assertThat(Timeline.page("ada", log, 8L, 4, PersonalValues::mask).entries()).isEmpty();
        assertThatThrownBy(() -> Timeline.page("ada", log, 5L, 4, PersonalValues::mask))
                .as("5 is a transition nested in its message, not an entry").isInstanceOf(Timeline.UnknownPosition.class);
    }
}
