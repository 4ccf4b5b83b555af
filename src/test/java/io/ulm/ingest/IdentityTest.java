package io.ulm.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ulm.support.E2e.texts;
import static io.ulm.support.E2e.awaitProfile;
import static io.ulm.support.E2e.obj;
import static io.ulm.support.E2e.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity resolution through the public API: an identify links the anonymousId it carries, so
 * later anonymous-only messages land on the user and the anonymousId reads the user's profile; an
 * alias links its previousId; the first link wins. Personal traits never reach the event log or the
 * read model in plain text, and are shown only to admin keys.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class IdentityTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Inject
    DataSource db;

    private static String id(String what) {
        return "idn-" + RUN + "-" + what + "-" + SEQ.incrementAndGet();
    }

    private static Instant ago(int minutes) {
        return Instant.now().minus(Duration.ofMinutes(minutes)).truncatedTo(ChronoUnit.SECONDS);
    }

    private static void ok(E2e.Reply r, int accepted) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(200);
        assertThat(r.body().path("accepted").asInt(-1)).as("accepted in %s", r).isEqualTo(accepted);
    }

    private String routedTo(String messageId) {
        List<Map<String, Object>> rows = E2e.rows(db, "SELECT user_id FROM ingest_message WHERE message_id = ?", messageId);
        return rows.isEmpty() ? null : (String) rows.get(0).get("user_id");
    }


    @Test
    void identifyLinksTheAnonymousIdAndLaterAnonymousMessagesLandOnTheUser() {
        String anonymous = id("anon");
        String user = id("user");
        String before1 = id("m");
        String before2 = id("m");
        String after1 = id("m");
        String after2 = id("m");
        ok(post(Api.WRITE_KEY, "/v1/page", obj("messageId", before1, "anonymousId", anonymous, "name", "Landing", "timestamp", ago(40))), 1);
        ok(post(Api.WRITE_KEY, "/v1/page", obj("messageId", before2, "anonymousId", anonymous, "name", "Pricing", "timestamp", ago(39))), 1);
        JsonNode visitor = awaitProfile(Api.READ_KEY, "anon:" + anonymous, p -> p.path("messages").asLong() >= 2);
        assertThat(visitor.path("userId").asText()).isEqualTo("anon:" + anonymous);
        assertThat(visitor.path("counts").path("page").path("Landing").asLong()).isEqualTo(1);

        ok(post(Api.WRITE_KEY, "/v1/identify", obj("messageId", id("m"), "userId", user, "anonymousId", anonymous,
                "timestamp", ago(38), "traits", obj("plan", "free"))), 1);
        ok(post(Api.WRITE_KEY, "/v1/page", obj("messageId", after1, "anonymousId", anonymous, "name", "Checkout", "timestamp", ago(37))), 1);
        ok(post(Api.WRITE_KEY, "/v1/track", obj("messageId", after2, "anonymousId", anonymous, "event", "Product Viewed",
                "timestamp", ago(36), "properties", obj("product_id", "sku-1"))), 1);

        SoftAssertions s = new SoftAssertions();
        s.assertThat(routedTo(before1)).as("a view before the identify stays with the visitor").isEqualTo("anon:" + anonymous);
        s.assertThat(routedTo(after1)).as("a view after the identify goes to the user").isEqualTo(user);
        s.assertThat(routedTo(after2)).as("a track after the identify goes to the user").isEqualTo(user);
        s.assertThat(E2e.rows(db, "SELECT user_id, via FROM identity_link WHERE linked_id = ?", "anon:" + anonymous))
                .as("identity_link of the anonymousId").containsExactly(Map.of("user_id", user, "via", "identify"));

        JsonNode p = awaitProfile(Api.READ_KEY, user, q -> q.path("messages").asLong() >= 3);
        s.assertThat(p.path("userId").asText()).isEqualTo(user);
        s.assertThat(p.path("messages").asLong()).as("messages of the user (identify + 2 after)").isEqualTo(3);
        s.assertThat(p.path("counts").path("page").path("Checkout").asLong()).as("counts.page.Checkout").isEqualTo(1);
        s.assertThat(p.path("counts").path("track").path("Product Viewed").asLong()).as("counts.track['Product Viewed']").isEqualTo(1);
        s.assertThat(p.path("counts").path("identify").path("").asLong()).as("counts.identify").isEqualTo(1);
        s.assertThat(texts(p.path("linkedIds"))).as("linkedIds").contains("anon:" + anonymous);

        E2e.Reply byAnonymousId = E2e.profile(Api.READ_KEY, anonymous);
        s.assertThat(byAnonymousId.status()).as("GET /v1/users/<anonymousId>: %s", byAnonymousId).isEqualTo(200);
        s.assertThat(byAnonymousId.body().path("userId").asText()).as("GET /v1/users/<anonymousId> resolves to").isEqualTo(user);
        s.assertThat(byAnonymousId.body().path("messages").asLong()).as("GET /v1/users/<anonymousId> messages").isEqualTo(3);
        s.assertAll();
    }

    /** Before any link, a visitor's profile is {@code anon:<anonymousId>} (docs/api.md), with her messages. */
    @Test
    void anonymousVisitorHasAnAnonProfileBeforeIdentify() {
        String anonymous = id("anon-only");
        Instant t = ago(30);
        ok(post(Api.WRITE_KEY, "/v1/page", obj("messageId", id("m"), "anonymousId", anonymous, "name", "Landing", "timestamp", t)), 1);
        JsonNode p = awaitProfile(Api.READ_KEY, "anon:" + anonymous, q -> q.path("messages").asLong() >= 1 && q.hasNonNull("stage"));
        SoftAssertions s = new SoftAssertions();
        s.assertThat(p.path("userId").asText()).isEqualTo("anon:" + anonymous);
        s.assertThat(p.path("stage").asText()).as("stage").isEqualTo("ACQUIRED");
        s.assertThat(E2e.instant(p, "firstSeen")).as("firstSeen").isEqualTo(t);
        s.assertThat(p.path("counts").path("page").path("Landing").asLong()).as("counts.page.Landing").isEqualTo(1);
        s.assertThat(p.path("linkedIds").size()).as("linkedIds").isZero();
        s.assertThat(E2e.count(db, "SELECT count(*) FROM identity_link WHERE linked_id = ?", "anon:" + anonymous))
                .as("an anonymous-only message links nothing").isZero();
        s.assertAll();
    }

    @Test
    void aliasLinksThePreviousId() {
        String previous = id("old");
        String user = id("new");
        String oldMessage = id("m");
        String afterByUserId = id("m");
        String afterByAnonymousId = id("m");
        ok(post(Api.WRITE_KEY, "/v1/track", obj("messageId", oldMessage, "userId", previous, "event", "Old Visit", "timestamp", ago(35))), 1);
        ok(post(Api.WRITE_KEY, "/v1/alias", obj("messageId", id("m"), "userId", user, "previousId", previous, "timestamp", ago(34))), 1);
        ok(post(Api.WRITE_KEY, "/v1/track", obj("messageId", afterByUserId, "userId", previous, "event", "After Alias", "timestamp", ago(33))), 1);
        ok(post(Api.WRITE_KEY, "/v1/page", obj("messageId", afterByAnonymousId, "anonymousId", previous, "name", "Home", "timestamp", ago(32))), 1);

        SoftAssertions s = new SoftAssertions();
        s.assertThat(routedTo(oldMessage)).as("the message before the alias").isEqualTo(previous);
        s.assertThat(routedTo(afterByUserId)).as("userId = previousId after the alias").isEqualTo(user);
        s.assertThat(routedTo(afterByAnonymousId)).as("anonymousId = previousId after the alias").isEqualTo(user);
        s.assertThat(E2e.rows(db, "SELECT user_id, via FROM identity_link WHERE linked_id = ?", previous))
                .as("identity_link of the previousId").containsExactly(Map.of("user_id", user, "via", "alias"));

        JsonNode p = awaitProfile(Api.READ_KEY, user, q -> q.path("counts").path("page").path("Home").asLong() >= 1
                && q.path("counts").path("track").path("After Alias").asLong() >= 1);
        s.assertThat(p.path("counts").path("alias").path("").asLong()).as("counts.alias").isEqualTo(1);
        s.assertThat(p.path("messages").asLong()).as("messages (alias + 2 after)").isEqualTo(3);
        s.assertThat(texts(p.path("linkedIds"))).as("linkedIds").contains(previous);
        // the history recorded under the previous id stays on its own profile, which says where the id now leads
        E2e.Reply byPrevious = E2e.profile(Api.READ_KEY, previous);
        s.assertThat(byPrevious.body().path("userId").asText()).as("GET /v1/users/<previousId>: %s", byPrevious).isEqualTo(previous);
        s.assertThat(byPrevious.body().path("linkedTo").asText()).as("linkedTo of the previous profile").isEqualTo(user);
        s.assertThat(byPrevious.body().path("counts").path("track").path("Old Visit").asLong()).as("its own history").isEqualTo(1);
        s.assertAll();
    }

    @Test
    void firstLinkWins() {
        String anonymous = id("shared-anon");
        String first = id("first");
        String second = id("second");
        String later = id("m");
        ok(post(Api.WRITE_KEY, "/v1/identify", obj("messageId", id("m"), "userId", first, "anonymousId", anonymous, "timestamp", ago(30))), 1);
        ok(post(Api.WRITE_KEY, "/v1/identify", obj("messageId", id("m"), "userId", second, "anonymousId", anonymous, "timestamp", ago(29))), 1);
        ok(post(Api.WRITE_KEY, "/v1/page", obj("messageId", later, "anonymousId", anonymous, "name", "Home", "timestamp", ago(28))), 1);

        String previous = id("shared-prev");
        String aliasTarget = id("alias-first");
        String aliasLoser = id("alias-second");
        ok(post(Api.WRITE_KEY, "/v1/alias", obj("messageId", id("m"), "userId", aliasTarget, "previousId", previous, "timestamp", ago(27))), 1);
        ok(post(Api.WRITE_KEY, "/v1/alias", obj("messageId", id("m"), "userId", aliasLoser, "previousId", previous, "timestamp", ago(26))), 1);

        SoftAssertions s = new SoftAssertions();
        s.assertThat(routedTo(later)).as("anonymous message after two conflicting identifies").isEqualTo(first);
        s.assertThat(E2e.rows(db, "SELECT user_id FROM identity_link WHERE linked_id = ?", "anon:" + anonymous))
                .as("identity_link of the shared anonymousId").containsExactly(Map.of("user_id", first));
        s.assertThat(E2e.rows(db, "SELECT user_id FROM identity_link WHERE linked_id = ?", previous))
                .as("identity_link of the shared previousId").containsExactly(Map.of("user_id", aliasTarget));

        Map<String, JsonNode> profiles = E2e.awaitProfiles(Api.READ_KEY, Map.of(
                first, q -> q.path("messages").asLong() >= 2,
                second, q -> q.path("messages").asLong() >= 1,
                aliasTarget, q -> q.path("counts").path("alias").size() >= 1));
        s.assertThat(profiles.get(first).path("counts").path("page").path("Home").asLong()).as("first user's pages").isEqualTo(1);
        s.assertThat(texts(profiles.get(first).path("linkedIds"))).as("first user's linkedIds").contains("anon:" + anonymous);
        s.assertThat(texts(profiles.get(second).path("linkedIds"))).as("second user's linkedIds").doesNotContain("anon:" + anonymous);
        s.assertThat(profiles.get(second).path("messages").asLong()).as("second user's messages (her identify)").isEqualTo(1);
        E2e.Reply byAnonymousId = E2e.profile(Api.READ_KEY, anonymous);
        s.assertThat(byAnonymousId.body().path("userId").asText()).as("GET /v1/users/<shared anonymousId>: %s", byAnonymousId).isEqualTo(first);
        E2e.Reply byPrevious = E2e.profile(Api.READ_KEY, previous);
        s.assertThat(byPrevious.body().path("userId").asText()).as("GET /v1/users/<shared previousId>: %s", byPrevious).isEqualTo(aliasTarget);
        s.assertAll();
    }

    @Test
    void personalTraitsAreEncryptedInTheLogAndShownOnlyToAdmins() {
        String user = id("pii");
        String email = "ada." + RUN + "." + SEQ.incrementAndGet() + "@example.com";
        String phone = "+44 20 7946 " + (1000 + SEQ.incrementAndGet() % 9000);
        String name = "Ada Lovelace " + RUN;
        ok(post(Api.WRITE_KEY, "/v1/identify", obj("messageId", id("m"), "userId", user, "timestamp", ago(20),
                "traits", obj("email", email, "name", name, "phone", phone, "plan", "pro"),
                "context", obj("traits", obj("email", email), "ip", "203.0.113.7"))), 1);
        ok(post(Api.WRITE_KEY, "/v1/identify", obj("messageId", id("m"), "userId", user, "timestamp", ago(19),
                "traits", obj("email", email, "plan", "pro"))), 1);
        ok(post(Api.WRITE_KEY, "/v1/track", obj("messageId", id("m"), "userId", user, "event", "Newsletter Subscribed",
                "timestamp", ago(18), "properties", obj("email", email, "list", "weekly"))), 1);

        JsonNode read = awaitProfile(Api.READ_KEY, user, q -> q.path("messages").asLong() >= 3);
        JsonNode admin = E2e.profile(Api.ADMIN_KEY, user).body();
        SoftAssertions s = new SoftAssertions();
        for (String secret : List.of(email, name, phone)) {
            s.assertThat(E2e.count(db, "SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE ? "
                    + "OR convert_from(coalesce(meta_data, ''::bytea), 'UTF8') LIKE ?", "%" + secret + "%", "%" + secret + "%"))
                    .as("events holding '%s' in plain text", secret).isZero();
            s.assertThat(E2e.count(db, "SELECT count(*) FROM snapshot_event_entry WHERE convert_from(payload, 'UTF8') LIKE ?", "%" + secret + "%"))
                    .as("snapshots holding '%s' in plain text", secret).isZero();
            s.assertThat(E2e.count(db, "SELECT count(*) FROM user_trait WHERE value::text LIKE ?", "%" + secret + "%"))
                    .as("user_trait rows holding '%s' in plain text", secret).isZero();
        }
        // the events are there, with the personal values sealed
        List<JsonNode> traits = E2e.events(db, user, "TraitsUpdated");
        s.assertThat(traits).as("TraitsUpdated events").hasSize(2);
        if (!traits.isEmpty()) {
            s.assertThat(traits.get(0).path("traits").path("email").has("$encrypted")).as("email sealed in the event: " + traits.get(0)).isTrue();
            s.assertThat(traits.get(0).path("traits").path("plan").asText()).as("plan stays readable").isEqualTo("pro");
        }
        s.assertThat(E2e.count(db, "SELECT count(*) FROM keyvault.user_key WHERE user_id = ?", user)).as("keys of the user").isEqualTo(1);

        s.assertThat(admin.path("traits").path("email").asText()).as("admin sees the email").isEqualTo(email);
        s.assertThat(admin.path("traits").path("name").asText()).as("admin sees the name").isEqualTo(name);
        s.assertThat(admin.path("traits").path("phone").asText()).as("admin sees the phone").isEqualTo(phone);
        s.assertThat(admin.path("traits").path("plan").asText()).as("admin sees plan").isEqualTo("pro");
        s.assertThat(read.path("traits").path("email").asText()).as("read key: email").isEqualTo("[personal]");
        s.assertThat(read.path("traits").path("name").asText()).as("read key: name").isEqualTo("[personal]");
        s.assertThat(read.path("traits").path("phone").asText()).as("read key: phone").isEqualTo("[personal]");
        s.assertThat(read.path("traits").path("plan").asText()).as("read key: plan").isEqualTo("pro");
        s.assertThat(read.toString()).as("read-key profile body").doesNotContain(email).doesNotContain(name).doesNotContain(phone);
        s.assertAll();
    }
}
