package io.ulm.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.ulm.support.E2e.arr;
import static io.ulm.support.E2e.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue through its REST API: define, redefine, read, bulk, validation problems and items created on the fly. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class CatalogueApiTest {

    /** Ids of this run: the shared test database keeps other tests' items. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    static String id(String name) {
        return "cat-" + RUN + "-" + name;
    }

    static E2e.Reply put(String key, String id, Object body) {
        return E2e.reply(RestAssured.given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body(body.toString()).put("/v1/items/" + id));
    }

    static E2e.Reply bulk(String contentType, String body) {
        return E2e.reply(RestAssured.given().header("Authorization", "Bearer " + Api.ADMIN_KEY).contentType(contentType)
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/v1/items"));
    }

    @Test
    void anItemIsDefinedReadAndRedefined() {
        String id = id("heart");
        E2e.Reply defined = put(Api.ADMIN_KEY, id, obj("title", " Heart holder ", "categories", arr("lighting", "home-decor", "lighting"),
                "properties", obj("price", 2.55)));
        assertThat(defined.status()).as(defined.raw()).isEqualTo(200);
        assertThat(defined.body().path("changed").asBoolean()).isTrue();
        assertThat(E2e.texts(defined.body().path("categories"))).containsExactly("lighting", "home-decor");   // trimmed, no repeats
        JsonNode item = E2e.awaitItem(id, i -> "catalogue".equals(i.path("source").asText()));
        assertThat(item.path("title").asText()).isEqualTo("Heart holder");
        assertThat(E2e.texts(item.path("categories"))).containsExactly("lighting", "home-decor");
        assertThat(item.path("properties").path("price").asDouble()).isEqualTo(2.55);
        assertThat(item.path("definedAt").isTextual()).isTrue();
        assertThat(item.path("firstSeen").isNull()).isTrue();

        E2e.Reply same = put(Api.ADMIN_KEY, id, obj("title", "Heart holder", "categories", arr("lighting", "home-decor"),
                "properties", obj("price", 2.55)));
        assertThat(same.body().path("changed").asBoolean()).as("an identical definition records nothing").isFalse();
        assertThat(E2e.events(dataSource(), "item:" + id, "ItemCatalogued")).hasSize(1);

        put(Api.ADMIN_KEY, id, obj("title", "Heart holder", "categories", arr("kitchen")));
        JsonNode redefined = E2e.awaitItem(id, i -> E2e.texts(i.path("categories")).equals(java.util.List.of("kitchen")));
        assertThat(redefined.path("properties").size()).as("a definition replaces the item as a whole").isZero();
        assertThat(E2e.get(Api.READ_KEY, "/v1/items/" + id("nope")).status()).isEqualTo(404);
    }

    @Test
    void invalidDefinitionsAreProblemsNamingTheField() {
        E2e.Reply badCategories = put(Api.ADMIN_KEY, id("bad"), obj("categories", "lighting"));
        assertThat(badCategories.status()).isEqualTo(400);
        assertThat(badCategories.contentType()).startsWith("application/problem+json");
        assertThat(badCategories.body().path("type").asText()).isEqualTo("/problems/invalid-item");
        assertThat(badCategories.body().path("field").asText()).isEqualTo("categories");
        assertThat(badCategories.body().path("errors").get(0).path("pointer").asText()).isEqualTo("/categories");

        E2e.Reply typo = put(Api.ADMIN_KEY, id("bad"), obj("title", "x", "category", arr("a")));
        assertThat(typo.body().path("field").asText()).isEqualTo("category");
        assertThat(typo.body().path("detail").asText()).contains("unknown field 'category'");

        E2e.Reply emptyCategory = put(Api.ADMIN_KEY, id("bad"), obj("categories", arr("ok", " ")));
        assertThat(emptyCategory.body().path("errors").get(0).path("pointer").asText()).isEqualTo("/categories/1");
        assertThat(put(Api.ADMIN_KEY, id("bad"), obj("id", "other")).body().path("field").asText()).isEqualTo("id");
        assertThat(put(Api.ADMIN_KEY, id("bad"), obj("title", 7)).body().path("errors").get(0).path("pointer").asText()).isEqualTo("/title");
        assertThat(put(Api.ADMIN_KEY, id("bad"), "{not json").body().path("type").asText()).isEqualTo("/problems/malformed-json");
        assertThat(put(Api.READ_KEY, id("bad"), obj("title", "x")).status()).isEqualTo(403);
        assertThat(E2e.get(Api.READ_KEY, "/v1/items/" + id("bad")).status()).as("nothing of an invalid item is stored").isEqualTo(404);
    }

    @Test
    void bulkDefinesTheValidItemsAndListsTheOthers() {
        String array = arr(obj("id", id("b1"), "title", "One", "categories", arr("x")), obj("id", id("b2"), "title", 2),
                obj("id", id("b3"), "title", "Three")).toString();
        E2e.Reply reply = bulk("application/json", array);
        assertThat(reply.status()).as(reply.raw()).isEqualTo(400);
        assertThat(reply.body().path("type").asText()).isEqualTo("/problems/invalid-items");
        assertThat(reply.body().path("received").asInt()).isEqualTo(3);
        assertThat(reply.body().path("defined").asInt()).isEqualTo(2);
        assertThat(reply.body().path("rejected").asInt()).isEqualTo(1);
        JsonNode error = reply.body().path("errors").get(0);
        assertThat(error.path("index").asInt()).isEqualTo(1);
        assertThat(error.path("pointer").asText()).isEqualTo("/1/title");
        E2e.awaitItem(id("b3"), i -> "Three".equals(i.path("title").asText()));
        assertThat(E2e.awaitItem(id("b1"), i -> true).path("categories").get(0).asText()).isEqualTo("x");

        String ndjson = obj("id", id("n1"), "title", "Line one") + "\n\n" + "{broken\n" + obj("id", id("b3"), "title", "Three") + "\n";
        E2e.Reply lines = bulk("application/x-ndjson", ndjson);
        assertThat(lines.body().path("errors").get(0).path("index").asInt()).as("the line number").isEqualTo(3);
        assertThat(lines.body().path("defined").asInt()).isEqualTo(1);
        assertThat(lines.body().path("unchanged").asInt()).as("b3 again, unchanged").isEqualTo(1);
        E2e.awaitItem(id("n1"), i -> "Line one".equals(i.path("title").asText()));

        E2e.Reply ok = bulk("application/x-ndjson", obj("id", id("n2")).toString());
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        assertThat(ok.body().path("defined").asInt()).isEqualTo(1);
        assertThat(bulk("application/json", "{\"id\": \"x\"}").body().path("type").asText()).isEqualTo("/problems/malformed-json");
    }

    @Test
    void itemsInBehaviourAreCreatedOnTheFlyWithTheNameOfTheirEarliestSighting() {
        String user = "cat-user-" + RUN;
        String viewed = id("viewed");
        String bought = id("bought");
        E2e.Reply sent = E2e.post(Api.WRITE_KEY, "/v1/batch", obj("batch", arr(
                obj("type", "track", "userId", user, "event", "Product Viewed", "timestamp", "2024-05-02T10:00:00Z",
                        "properties", obj("product_id", viewed)),
                obj("type", "track", "userId", user, "event", "Order Completed", "timestamp", "2024-05-03T10:00:00Z",
                        "properties", obj("revenue", 12, "products", arr(obj("product_id", bought, "name", "Blue mug", "price", 12))))
        )));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        JsonNode seen = E2e.awaitItem(bought, i -> true);
        assertThat(seen.path("source").asText()).isEqualTo("seen");
        assertThat(seen.path("title").asText()).isEqualTo("Blue mug");
        assertThat(seen.path("firstSeen").asText()).isEqualTo("2024-05-03T10:00:00Z");
        assertThat(seen.path("categories").size()).isZero();
        assertThat(E2e.awaitItem(viewed, i -> true).path("title").isNull()).isTrue();

        // an earlier sighting (a late message) moves firstSeen back and brings its name; a definition then wins
        E2e.post(Api.WRITE_KEY, "/v1/track", obj("userId", user + "-2", "event", "Product Viewed", "timestamp", "2024-05-01T09:00:00Z",
                "properties", obj("products", arr(obj("sku", bought, "name", "Mug, blue")))));
        E2e.awaitItem(bought, i -> "Mug, blue".equals(i.path("title").asText()) && i.path("firstSeen").asText().equals("2024-05-01T09:00:00Z"));
        put(Api.ADMIN_KEY, bought, obj("title", "Blue enamel mug", "categories", arr("kitchen")));
        JsonNode defined = E2e.awaitItem(bought, i -> "catalogue".equals(i.path("source").asText()));
        assertThat(defined.path("title").asText()).isEqualTo("Blue enamel mug");
        assertThat(defined.path("firstSeen").asText()).as("first seen survives the definition").isEqualTo("2024-05-01T09:00:00Z");
        E2e.post(Api.WRITE_KEY, "/v1/track", obj("userId", user, "event", "Product Viewed", "timestamp", "2024-04-01T09:00:00Z",
                "properties", obj("product_id", bought, "name", "Old name")));
        JsonNode after = E2e.awaitItem(bought, i -> i.path("firstSeen").asText().equals("2024-04-01T09:00:00Z"));
        assertThat(after.path("title").asText()).as("a defined item keeps its title").isEqualTo("Blue enamel mug");
    }

    @Test
    void anUnknownImportSourceIsAProblemNamingTheParameter() {
        E2e.Reply reply = E2e.reply(RestAssured.given().header("Authorization", "Bearer " + Api.ADMIN_KEY).contentType("text/csv")
                .body("a,b\n").post("/v1/items/import?source=imdb"));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().path("parameter").asText()).isEqualTo("source");
        E2e.Reply wrongFile = E2e.reply(RestAssured.given().header("Authorization", "Bearer " + Api.ADMIN_KEY).contentType("text/csv")
                .body("a,b\n1,2\n").post("/v1/items/import?source=movielens"));
        assertThat(wrongFile.status()).isEqualTo(400);
        assertThat(wrongFile.body().path("detail").asText()).contains("movieId");
    }

    private static javax.sql.DataSource dataSource() {
        return io.quarkus.arc.Arc.container().instance(javax.sql.DataSource.class).get();
    }
}
