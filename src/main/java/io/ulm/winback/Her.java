package io.ulm.winback;

import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.TraitsUpdated;
import io.ulm.lifecycle.api.UserEnteredSegment;
import io.ulm.lifecycle.api.UserLeftSegment;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the policies need to know about her at the trigger's event time, folded from her stream (not from read
 * models, which may lag the saga): CLV = purchases − refunds, her segments, her latest {@code unsubscribed} trait;
 * and her first activity at or after the trigger, when the stream already has one.
 */
record Her(String userId, double clv, Set<String> segments, boolean unsubscribed, Instant returnedAt, String returnMessageId) {

    /** Folds her stream up to the trigger's event time {@code at}. */
    static Her at(EventStore eventStore, String user, Instant at) {
        BigDecimal value = BigDecimal.ZERO;
        Set<String> in = new TreeSet<>();
        boolean unsubscribed = false;
        ActivityRecorded back = null;
        DomainEventStream stream = eventStore.readEvents(user, 0L);
        while (stream.hasNext()) {
            Object p = stream.next().getPayload();
            if (p instanceof ActivityRecorded a && a.kind() != null) {
                if (a.at().isAfter(at) || (a.at().equals(at) && a.kind().activity())) {
                    if (a.kind().activity() && (back == null || a.at().isBefore(back.at()))) {
                        back = a;
                    }
                } else if (a.revenue() != null && a.kind().purchase()) {
                    value = value.add(a.revenue());
                } else if (a.revenue() != null && a.kind().refund()) {
                    value = value.subtract(a.revenue().abs());
                }
            } else if (p instanceof TraitsUpdated t && t.traits() != null && t.traits().has("unsubscribed") && !t.at().isAfter(at)) {
                unsubscribed = t.traits().get("unsubscribed").asBoolean(false)
                        || "true".equalsIgnoreCase(t.traits().get("unsubscribed").asText());
            } else if (p instanceof UserEnteredSegment s && !s.at().isAfter(at)) {
                in.add(s.segmentId());
            } else if (p instanceof UserLeftSegment s && !s.at().isAfter(at)) {
                in.remove(s.segmentId());
            }
        }
        return new Her(user, value.doubleValue(), in, unsubscribed, back == null ? null : back.at(), back == null ? null : back.messageId());
    }
}
