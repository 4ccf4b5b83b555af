package io.ulm.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ulm.lifecycle.api.ActivityRecorded;
import io.ulm.lifecycle.api.AliasRecorded;
import io.ulm.lifecycle.api.GroupJoined;
import io.ulm.lifecycle.api.IdentityLinked;
import io.ulm.lifecycle.api.StageChanged;
import io.ulm.lifecycle.api.TraitsUpdated;
import io.ulm.lifecycle.api.UserAcquired;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The changes a batch of events makes to the profile read model, folded per user in memory and
 * written with a handful of batched statements when the batch commits (with its token).
 */
final class ProfileBatch {

    /** Deltas for one user's profile row. */
    static final class Delta {
        Instant firstSeen;
        Instant lastSeen;
        Instant lastActivityAt;
        Instant acquiredAt;
        long messages;
        long activities;
        long late;
        long purchases;
        long refunds;
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal refunded = BigDecimal.ZERO;
        StageChanged stage;
        long lastPosition = -1;
        final Map<String, Long> counts = new LinkedHashMap<>();
        final Set<String> items = new LinkedHashSet<>();
        final Map<String, Trait> traits = new LinkedHashMap<>();
        final Map<String, Link> links = new LinkedHashMap<>();

        void seen(Instant at, long position) {
            firstSeen = firstSeen == null || at.isBefore(firstSeen) ? at : firstSeen;
            lastSeen = lastSeen == null || at.isAfter(lastSeen) ? at : lastSeen;
            messages++;
            lastPosition = Math.max(lastPosition, position);
        }

        void count(String type, String name) {
            counts.merge(type + "\u0000" + (name == null ? "" : name), 1L, Long::sum);
        }

        /** Keeps the value with the latest event time; at equal times the later event wins. */
        void trait(String name, JsonNode value, Instant at) {
            Trait current = traits.get(name);
            if (current == null || !at.isBefore(current.at())) {
                traits.put(name, new Trait(value, at));
            }
        }

        // The fold of each event the profile reads: the projection's handlers and ProfileFold (in memory) both use these.

        void on(ActivityRecorded e, long position) {
            seen(e.at(), position);
            count(e.type(), e.event());
            if (e.late()) {
                late++;
            }
            if (e.kind() != null && e.kind().activity()) {
                activities++;
                lastActivityAt = lastActivityAt == null || e.at().isAfter(lastActivityAt) ? e.at() : lastActivityAt;
            }
            if (e.kind() != null && e.kind().purchase()) {
                purchases++;
                revenue = revenue.add(e.revenue() == null ? BigDecimal.ZERO : e.revenue());
            }
            if (e.kind() != null && e.kind().refund()) {
                refunds++;
                refunded = refunded.add(e.revenue() == null ? BigDecimal.ZERO : e.revenue().abs());
            }
            if (e.itemIds() != null) {
                items.addAll(e.itemIds());
            }
        }

        void on(TraitsUpdated e, long position) {
            seen(e.at(), position);
            count("identify", null);
            if (e.traits() != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = e.traits().fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> t = it.next();
                    trait(t.getKey(), t.getValue(), e.at());
                }
            }
        }

        void on(GroupJoined e, long position) {
            seen(e.at(), position);
            count("group", null);
            trait("groupId", TextNode.valueOf(e.groupId()), e.at());
        }

        void on(AliasRecorded e, long position) {
            seen(e.at(), position);
            count("alias", null);
        }

        void on(IdentityLinked e) {
            links.put(e.linkedId(), new Link(e.via(), e.at()));
        }

        void on(UserAcquired e) {
            acquiredAt = e.at();
        }

        void on(StageChanged e) {
            stage = e;
        }
    }

    record Trait(JsonNode value, Instant at) {
    }

    record Link(String via, Instant at) {
    }

    private final Map<String, Delta> users = new LinkedHashMap<>();

    Delta user(String userId) {
        return users.computeIfAbsent(userId, k -> new Delta());
    }

    Map<String, Delta> users() {
        return users;
    }
}
