package io.ulm.platform;

import java.util.Optional;
import java.util.function.Function;

/**
 * How an id given to a read (a path's {@code {id}}) resolves to a user, written once (docs/api.md, decision 0006):
 * the id itself when it is a user, else the user it is linked to in {@code identity_link} (as the id itself first, then
 * as {@code anon:<id>}), else the anonymous visitor {@code anon:<id>}. Reads of the read models use the SQL fragments
 * (so each stays one statement); reads of the event log use {@link #resolve} with their own lookups.
 */
public final class UserIdResolution {

    /** The key of a visitor known only by an anonymousId (as ingest records her). */
    public static final String ANONYMOUS_PREFIX = "anon:";

    private UserIdResolution() {
    }

    /** {@code anon:<id>}. */
    public static String anonymous(String id) {
        return ANONYMOUS_PREFIX + id;
    }

    /**
     * The common table expressions (without {@code WITH}) that resolve the text parameter {@code parameter}
     * ({@code ?} for JDBC, {@code ?1} for a Hibernate native query; bound once) against the read models:
     * {@code lookup(id)} the id as given, {@code known(user_id)} the user found as a profile or a link (null when
     * neither) and {@code target(user_id)} the resolved user ({@code anon:<id>} when nothing is known).
     */
    public static String ctes(String parameter) {
        return """
                lookup AS (SELECT CAST(%s AS text) AS id),
                known AS (SELECT coalesce(
                    (SELECT p.user_id FROM user_profile p WHERE p.user_id = lookup.id),
                    (%s)) AS user_id FROM lookup),
                target AS (SELECT coalesce(known.user_id, '%s' || lookup.id) AS user_id FROM known, lookup)
                """.formatted(parameter, linked("lookup.id", "true"), ANONYMOUS_PREFIX);
    }

    /**
     * A query for the user that the SQL expression {@code id} is linked to, where the links also satisfy
     * {@code condition} (on {@code identity_link l}): the id itself wins over {@code anon:<id>}.
     */
    public static String linked(String id, String condition) {
        return "SELECT l.user_id FROM identity_link l WHERE l.linked_id IN (" + id + ", '" + ANONYMOUS_PREFIX + "' || " + id
                + ") AND " + condition + " ORDER BY l.linked_id = " + id + " DESC LIMIT 1";
    }

    /**
     * The same rule over another store: what {@code find} finds for the id itself, else for the user {@code link} says
     * it is linked to, else for {@code anon:<id>}.
     */
    public static <T> Optional<T> resolve(String id, Function<String, Optional<T>> find, Function<String, Optional<String>> link) {
        Optional<T> found = find.apply(id);
        return found.isPresent() ? found : find.apply(link.apply(id).orElseGet(() -> anonymous(id)));
    }
}
