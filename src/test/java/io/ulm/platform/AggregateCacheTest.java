package io.ulm.platform;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aggregate cache on several nodes: an entry is trusted only at the version this node committed, so a write by
 * another node (a higher committed version read under the user's lock) or a rolled-back transaction drops it and the
 * next command loads the aggregate from the event store.
 */
class AggregateCacheTest {

    @Test
    void anEntryCommittedHereAtTheCurrentVersionIsKept() {
        AggregateCache cache = new AggregateCache(10);
        cache.put("u1", "aggregate@5");
        cache.committed("u1", 5);
        cache.validate("u1", 5);
        assertThat((Object) cache.get("u1")).isEqualTo("aggregate@5");
    }

    @Test
    void anotherNodesWriteEvictsTheStaleEntry() {
        AggregateCache cache = new AggregateCache(10);
        cache.put("u1", "aggregate@5");
        cache.committed("u1", 5);
        cache.validate("u1", 7);   // the schedule row says version 7: another node appended two events
        assertThat((Object) cache.get("u1")).isNull();
        assertThat(cache.containsKey("u1")).isFalse();
    }

    @Test
    void anEntryNeverCommittedIsNotTrusted() {
        AggregateCache cache = new AggregateCache(10);
        cache.put("u1", "aggregate@6");   // Axon cached it, but its transaction has not committed (or rolled back)
        cache.validate("u1", 6);
        assertThat((Object) cache.get("u1")).isNull();
    }

    @Test
    void aRollbackEvictsAndForgetsTheCommittedVersion() {
        AggregateCache cache = new AggregateCache(10);
        cache.put("u1", "aggregate@5");
        cache.committed("u1", 5);
        cache.remove("u1");   // LifecycleCommands after a rollback (a lost race that Retry runs again)
        cache.put("u1", "aggregate@5 reloaded");
        cache.validate("u1", 5);
        assertThat((Object) cache.get("u1")).as("not trusted until its own commit").isNull();
    }

    @Test
    void theLeastRecentlyUsedEntryGoesFirst() {
        AggregateCache cache = new AggregateCache(2);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.get("a");
        cache.put("c", 3);
        assertThat(cache.containsKey("a")).isTrue();
        assertThat(cache.containsKey("b")).isFalse();
        assertThat(cache.containsKey("c")).isTrue();
    }
}
