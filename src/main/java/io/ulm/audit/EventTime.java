package io.ulm.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.AliasRecorded;
import io.ulm.lifecycle.api.GroupJoined;
import io.ulm.lifecycle.api.IdentityLinked;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.TraitsUpdated;
import io.ulm.lifecycle.api.UserAcquired;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The event time of a stored event: its {@code at} (for event types this code does not know: their JSON {@code at}). */
final class EventTime {

    private EventTime() {
    }

    static Instant of(AuditLog.LoggedEvent e) {
        Object p = e.payload();
        if (p instanceof ActivityRecorded x) {
            return x.at();
        } else if (p instanceof StageChanged x) {
            return x.at();
        } else if (p instanceof TraitsUpdated x) {
            return x.at();
        } else if (p instanceof GroupJoined x) {
            return x.at();
        } else if (p instanceof AliasRecorded x) {
            return x.at();
        } else if (p instanceof IdentityLinked x) {
            return x.at();
        } else if (p instanceof UserAcquired x) {
            return x.at();
        }
        return of(e.json());
    }

    /** The {@code at} field of an event's JSON, if it holds an instant. */
    static Instant of(JsonNode json) {
        JsonNode at = json == null ? null : json.get("at");
        if (at == null || !at.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(at.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
