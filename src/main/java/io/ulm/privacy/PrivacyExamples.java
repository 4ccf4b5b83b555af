package io.ulm.privacy;

/** OpenAPI examples of the privacy endpoints. */
final class PrivacyExamples {

    static final String RECEIPT = """
            {"userId": "ada", "erasedAt": "2026-11-30T09:15:00.123Z", "requestedBy": "admin", "subjects": ["ada", "anon:a-1"],
             "alreadyErased": false,
             "stores": [
               {"store": "domain_event_entry", "action": "UserErased appended", "rows": 2},
               {"store": "keyvault.user_key", "action": "keys destroyed", "rows": 1},
               {"store": "winback_entry.outcome", "action": "running episodes ended", "rows": 1},
               {"store": "winback_entry.user_id", "action": "re-keyed to a pseudonym", "rows": 1},
               {"store": "user_profile.user_id", "action": "deleted", "rows": 2},
               {"store": "user_trait.user_id", "action": "deleted", "rows": 4},
               {"store": "analytics_stage_transition.user_id", "action": "re-keyed to a pseudonym", "rows": 5},
               {"store": "segment_membership.user_id", "action": "deleted", "rows": 2},
               {"store": "churn_score.user_id", "action": "deleted", "rows": 1},
               {"store": "outbox.msg_key", "action": "deleted", "rows": 2},
               {"store": "identity_link.user_id", "action": "deleted", "rows": 1}],
             "notes": ["Events stay in the log with her personal values encrypted under the destroyed key: unreadable from now on."]}""";

    static final String EXPORT = """
            {"userId": "ada", "exportedAt": "2026-11-30T09:10:00Z", "erased": false,
             "profile": {"user_id": "ada", "stage": "AT_RISK", "purchases": 1, "revenue": 50.0},
             "traits": {"email": "ada@example.org", "plan": "pro"},
             "identities": [{"user_id": "ada", "linked_id": "anon:a-1", "via": "identify", "at": "2026-10-01T10:00:00+00:00"}],
             "segments": [{"segment_id": "rfm:at-risk", "user_id": "ada", "since": "2026-11-01T00:00:00+00:00", "reason": "R=1 F=1 M=2"}],
             "features": {"user_id": "ada", "activities": 4, "purchases": 1},
             "scores": {"churn": {"user_id": "ada", "score": 0.81, "clv": 42.5}},
             "winback": [{"winback_id": "winback-default:ada:2026-10-31T12:00:00Z", "arm": "reminder-then-offer", "outcome": null}],
             "actionsSent": [{"action_id": "winback-default:ada:2026-10-31T12:00:00Z:started", "payload": {"type": "WinbackStarted"}}],
             "timeline": {"userId": "ada", "events": 9, "entries": []},
             "stores": {"user_profile": [], "user_trait": [], "analytics_activity_day": []}}""";

    static final String UNKNOWN = "{\"type\":\"/problems/unknown-user\",\"title\":\"Unknown user\",\"status\":404,"
            + "\"detail\":\"No user with id 'bob' has sent any message\",\"instance\":\"/v1/users/bob/erase\",\"userId\":\"bob\"}";

    private PrivacyExamples() {
    }
}
