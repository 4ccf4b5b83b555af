package io.ulm.projection;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.AliasRecorded;
import io.ulm.lifecycle.api.GroupJoined;
import io.ulm.lifecycle.api.IdentityLinked;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.TraitsUpdated;
import io.ulm.lifecycle.api.UserAcquired;
import io.ulm.lifecycle.api.UserErased;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The user-profile projection's fold, in memory: one user's events go through the same
 * {@link ProfileBatch.Delta} methods the projection writes with, and come out as the profile
 * {@code GET /v1/users/{id}} shows. The audit rebuilds past profiles with it ({@code ?asOf=}).
 *
 * <p>The view rounds as the read model's columns do: instants to microseconds (timestamptz),
 * money to 4 decimals (numeric(19,4)); linked ids in code-point order (the live read sorts them COLLATE "C").
 */
public final class ProfileFold {

    private final String userId;
    private ProfileBatch.Delta delta = new ProfileBatch.Delta();
    private boolean empty = true;

    public ProfileFold(String userId) {
        this.userId = userId;
    }

    /**
     * Folds one event of this user (its payload, and its position, e.g. the sequence number);
     * false for events the profile does not read.
     */
    public boolean apply(Object payload, long position) {
        if (payload instanceof ActivityRecorded e) {
            delta.on(e, position);
        } else if (payload instanceof TraitsUpdated e) {
            delta.on(e, position);
        } else if (payload instanceof GroupJoined e) {
            delta.on(e, position);
        } else if (payload instanceof AliasRecorded e) {
            delta.on(e, position);
        } else if (payload instanceof IdentityLinked e) {
            delta.on(e);
        } else if (payload instanceof UserAcquired e) {
            delta.on(e);
        } else if (payload instanceof StageChanged e) {
            delta.on(e);
        } else if (payload instanceof UserErased) {
            delta = new ProfileBatch.Delta();   // the projection drops her row (docs/privacy.md): nothing to show
            empty = true;
            return true;
        } else {
            return false;
        }
        empty = false;
        return true;
    }

    /** True when no event the profile reads has been folded: the projection would have no row. */
    public boolean isEmpty() {
        return empty;
    }

    /** The profile, as the read model would show it; traits as stored (personal values encrypted). */
    public ProfileResource.ProfileView view(String linkedTo) {
        ProfileBatch.Delta d = delta;
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        d.counts.forEach((key, n) -> {
            String[] typeAndName = key.split("\u0000", 2);
            counts.computeIfAbsent(typeAndName[0], k -> new TreeMap<>()).merge(typeAndName[1], n, Long::sum);
        });
        ObjectNode traits = JsonNodeFactory.instance.objectNode();
        d.traits.forEach((name, trait) -> traits.set(name, trait.value()));
        List<String> linkedIds = new ArrayList<>(new TreeSet<>(d.links.keySet()));
        StageChanged s = d.stage;
        return new ProfileResource.ProfileView(userId, s == null ? null : s.to().name(), micros(s == null ? null : s.at()),
                s == null ? null : s.ruleId(), micros(d.acquiredAt), micros(d.firstSeen), micros(d.lastSeen),
                micros(d.lastActivityAt), d.messages, d.activities, d.late, d.purchases, d.refunds, money(d.revenue),
                money(d.refunded), d.items.size(), counts, traits, linkedIds, linkedTo, null);
    }

    private static BigDecimal money(BigDecimal value) {
        return value.setScale(4, RoundingMode.HALF_UP);
    }

    /** PostgreSQL keeps microseconds, rounding half up. */
    private static Instant micros(Instant value) {
        if (value == null) {
            return null;
        }
        return value.plusNanos(500).truncatedTo(ChronoUnit.MICROS);
    }
}
