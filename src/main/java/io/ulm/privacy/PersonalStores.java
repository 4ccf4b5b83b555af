package io.ulm.privacy;

import java.util.List;

/**
 * Every table that holds rows about one user, and what erasure does to each (docs/privacy.md). Export reads the same
 * list, so what ULM shows a user and what it erases cannot drift apart; {@code PersonalStoresTest} fails when a table
 * with a user column is missing here.
 */
final class PersonalStores {

    enum Action {
        /** her rows are deleted */
        DELETE,
        /** her rows get the pseudonym of her {@code UserErased} instead of her id: aggregate counts stay */
        REKEY
    }

    /** One table: its name, the column naming the user, the action, and the projection that rebuilds it (or null). */
    record Store(String table, String column, Action action, String rebuiltBy) {
    }

    /** In each projection's write order (the erasure deletes in that order: no lock cycle with a running projection). */
    static final List<Store> STORES = List.of(
            new Store("user_profile", "user_id", Action.DELETE, "user-profile"),
            new Store("user_event_count", "user_id", Action.DELETE, "user-profile"),
            new Store("user_item", "user_id", Action.DELETE, "user-profile"),
            new Store("user_trait", "user_id", Action.DELETE, "user-profile"),
            new Store("user_identity", "user_id", Action.DELETE, "user-profile"),
            new Store("analytics_stage_transition", "user_id", Action.REKEY, "analytics"),
            new Store("analytics_activity_day", "user_id", Action.REKEY, "analytics"),
            new Store("analytics_acquisition", "user_id", Action.REKEY, "analytics"),
            new Store("user_feature", "user_id", Action.DELETE, "features"),
            new Store("user_feature_day", "user_id", Action.DELETE, "features"),
            new Store("user_item_interest", "user_id", Action.DELETE, "features"),
            new Store("interest_user_item", "user_id", Action.DELETE, "interest-text"),
            new Store("interest_user_text", "user_id", Action.DELETE, "interest-text"),
            new Store("interest_user_topic", "user_id", Action.DELETE, null),
            new Store("segment_membership", "user_id", Action.DELETE, "segments"),
            new Store("segment_ledger", "user_id", Action.DELETE, null),
            new Store("churn_score", "user_id", Action.DELETE, null),
            new Store("winback_step", "user_id", Action.DELETE, null),
            new Store("outbox", "msg_key", Action.DELETE, null),
            new Store("winback_skipped", "user_id", Action.DELETE, null),   // steps not sent (history): like the outbox
            new Store("winback_entry", "user_id", Action.REKEY, null),
            new Store("winback_backtest_action", "user_id", Action.REKEY, null),   // a backtest's totals stay as reported
            new Store("identity_link", "user_id", Action.DELETE, null),
            new Store("identity_link", "linked_id", Action.DELETE, null),
            new Store("ingest_message", "user_id", Action.DELETE, null),
            new Store("snapshot_event_entry", "aggregate_identifier", Action.DELETE, null));

    /**
     * Tables with a user column that erasure deliberately leaves: the event log itself (crypto-shredded: her personal
     * values are unreadable without the key; UserErased is appended), her schedule row (no due time: she is never
     * decided again; its version validates cached aggregates), the key row (kept, marked destroyed, no key material),
     * the saga store (her saga ends itself when it reads UserErased) and the erasure log.
     */
    static final List<String> KEPT = List.of("domain_event_entry.aggregate_identifier", "lifecycle_schedule.user_id",
            "keyvault.user_key.user_id", "winback_saga_association.association_value", "privacy_erasure.user_id");

    private PersonalStores() {
    }
}
