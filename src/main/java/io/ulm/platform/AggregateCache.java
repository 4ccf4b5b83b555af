package io.ulm.platform;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A bounded LRU cache of loaded aggregates for Axon's caching repository, that callers validate
 * against the committed version before use (see LifecycleCommands): an entry is only trusted when
 * its version equals the version committed in PostgreSQL, so another node's writes, or a local
 * transaction that rolled back after Axon's unit of work committed, can never serve stale state.
 *
 * <p>Own code because Axon 4 ships only weak-reference, EhCache and JCache adapters; a 60-line LRU
 * avoids a JCache provider for one map (docs/decisions/0004-aggregate-cache.md).
 */
public final class AggregateCache implements Cache {

    private final Map<Object, Object> entries;
    /** The version each cached aggregate had when its last transaction on this node committed. */
    private final Map<Object, Long> committed;

    public AggregateCache(int capacity) {
        this.entries = lru(capacity);
        this.committed = lru(capacity);
    }

    private static <V> Map<Object, V> lru(int capacity) {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Drops the cached aggregate unless it is exactly the one committed at {@code committedVersion}. */
    public synchronized void validate(String aggregateId, long committedVersion) {
        Long known = committed.get(aggregateId);
        if (known == null || known != committedVersion) {
            entries.remove(aggregateId);
            committed.remove(aggregateId);
        }
    }

    /** The transaction that left the aggregate at {@code version} committed: the cached state is now trusted. */
    public synchronized void committed(String aggregateId, long version) {
        if (entries.containsKey(aggregateId)) {
            committed.put(aggregateId, version);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <K, V> V get(K key) {
        return (V) entries.get(key);
    }

    @Override
    public synchronized void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public synchronized boolean putIfAbsent(Object key, Object value) {
        return entries.putIfAbsent(key, value) == null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        return (T) entries.computeIfAbsent(key, k -> valueSupplier.get());
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        entries.computeIfPresent(key, (k, v) -> update.apply((V) v));
    }

    @Override
    public synchronized boolean remove(Object key) {
        committed.remove(key);
        return entries.remove(key) != null;
    }

    @Override
    public synchronized void removeAll() {
        entries.clear();
        committed.clear();
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        return () -> true;
    }
}
