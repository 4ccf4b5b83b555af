package io.ulm.platform;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The resolution order over any store: the id itself, else the user it is linked to, else anon:<id>. */
class UserIdResolutionTest {

    private static Optional<String> resolve(String id, Map<String, String> stored, Map<String, String> links) {
        return UserIdResolution.resolve(id, u -> Optional.ofNullable(stored.get(u)), l -> Optional.ofNullable(links.get(l)));
    }

    @Test
    void theIdItselfThenItsLinkThenTheAnonymousVisitor() {
        Map<String, String> stored = Map.of("ada", "ada's", "anon:v1", "v1's", "bob", "bob's");
        Map<String, String> links = Map.of("v2", "bob", "ada", "bob");
        assertThat(resolve("ada", stored, links)).as("a user wins over a link of the same id").contains("ada's");
        assertThat(resolve("v2", stored, links)).contains("bob's");
        assertThat(resolve("v1", stored, links)).contains("v1's");
        assertThat(resolve("v3", stored, links)).isEmpty();
    }

    @Test
    void aLinkToAUserNotStoredYetDoesNotFallBackToTheAnonymousVisitor() {
        assertThat(resolve("v1", Map.of("anon:v1", "v1's"), Map.of("v1", "carol"))).isEmpty();
    }
}
