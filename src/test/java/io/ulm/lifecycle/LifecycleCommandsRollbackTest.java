package io.ulm.lifecycle;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ulm.lifecycle.api.Observation;
import io.ulm.lifecycle.api.RecordActivity;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A transaction that commands several users and fails after some of their commands succeeded (a later user's command,
 * the schedule update, the commit) rolls all of it back; the aggregates Axon cached for the users whose commands had
 * succeeded must not survive it, or a retry of the same request would find its messages "already recorded" in the
 * cached state and store nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class LifecycleCommandsRollbackTest {

    @Inject
    LifecycleCommands commands;
    @Inject
    DataSource db;

    @Test
    void aRolledBackRequestLeavesNoCachedStateBehindAndItsRetryIsStored() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ann = "rb-" + run + "-ann";
        String zed = "rb-" + run + "-zed";   // after ann in user order: her command runs second
        Instant t = Instant.parse("2024-03-01T10:00:00Z");
        QuarkusTransaction.requiringNew().run(() -> commands.send(Map.of(ann, record(ann, "m0-" + run, t))));

        // ann's command succeeds, zed's fails (nobody handles a String): the whole transaction rolls back
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> commands.send(
                Map.of(ann, record(ann, "m1-" + run, t.plusSeconds(60)), zed, "not a command"))))
                .isInstanceOf(RuntimeException.class);
        assertThat(recorded(ann)).as("rolled back").containsExactly("m0-" + run);

        // the client sends the request again
        QuarkusTransaction.requiringNew().run(() -> commands.send(Map.of(ann, record(ann, "m1-" + run, t.plusSeconds(60)))));
        assertThat(recorded(ann)).containsExactly("m0-" + run, "m1-" + run);
        assertThat(E2e.count(db, "SELECT count(*) - max(sequence_number) - 1 FROM domain_event_entry WHERE aggregate_identifier = ?", ann))
                .as("gap-free stream").isZero();
    }

    private static RecordActivity record(String user, String messageId, Instant at) {
        Observation o = new Observation(messageId, "track", "App Opened", at, at, ActivityKind.NONE, null, null, null, null, null,
                null, null, null, null);
        return new RecordActivity(user, List.of(o), null);
    }

    private List<String> recorded(String user) {
        return E2e.rows(db, "SELECT convert_from(payload, 'UTF8')::jsonb->>'messageId' AS m FROM domain_event_entry "
                + "WHERE aggregate_identifier = ? AND payload_type LIKE '%ActivityRecorded' ORDER BY sequence_number", user)
                .stream().map(r -> (String) r.get("m")).toList();
    }
}
