package io.ulm.ingest;

/**
 * How ids become aggregate keys: a userId is its own key; a visitor known only by an anonymousId
 * lives under {@code anon:<anonymousId>} until an identify or alias links her to a user.
 */
public final class IdentityKeys {

    public static final String ANONYMOUS_PREFIX = io.ulm.platform.UserIdResolution.ANONYMOUS_PREFIX;

    private IdentityKeys() {
    }

    public static String anonymous(String anonymousId) {
        return ANONYMOUS_PREFIX + anonymousId;
    }

    public static boolean isAnonymous(String key) {
        return key.startsWith(ANONYMOUS_PREFIX);
    }
}
