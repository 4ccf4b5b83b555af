package io.ulm.catalogue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.ulm.projection.ProjectionProgress;
import io.ulm.support.Api;
import io.ulm.support.E2e;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Online Retail catalogue imported over HTTP (the gzip'd transactions file as it is): every stock code is an
 * item in the read model with the title and category the declared table gives it, and a re-run changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class OnlineRetailCatalogueTest {

    @Inject
    DataSource dataSource;

    @Inject
    ProjectionProgress progress;

    @Test
    void theDataSetsItemsWithTheirCategories() throws Exception {
        byte[] file = Files.readAllBytes(SharedData.path(SharedData.RETAIL));
        long t0 = System.nanoTime();
        E2e.Reply first = importItems(file);
        System.out.printf("[online-retail items] HTTP import in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, first.raw());
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(first.body().path("received").asInt()).isEqualTo(4070);
        assertThat(first.body().path("rejected").asInt()).isZero();
        assertThat(progress.awaitCaughtUp(Duration.ofMinutes(2))).as("projections caught up").isTrue();

        ItemFile expected;
        try (InputStream in = Files.newInputStream(SharedData.path(SharedData.RETAIL))) {
            expected = OnlineRetailItems.read(in, OnlineRetailCategories.defaults());
        }
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (Map<String, Object> row : E2e.rows(dataSource, "SELECT item_id, title, categories::text AS categories, source, "
                + "properties->>'dataset' AS dataset FROM item WHERE item_id = ANY(?)", expected.items().stream().map(ItemDefinition::itemId).toList())) {
            rows.put((String) row.get("item_id"), row);
        }
        assertThat(rows).hasSize(4070);
        for (ItemDefinition item : expected.items()) {
            Map<String, Object> row = rows.get(item.itemId());
            assertThat(row.get("source")).as(item.itemId()).isEqualTo("catalogue");
            assertThat(row.get("title")).as(item.itemId()).isEqualTo(item.title());
            assertThat(pgArray((String) row.get("categories"))).as(item.itemId()).isEqualTo(item.categories());
            assertThat(row.get("dataset")).isEqualTo("online-retail");
        }
        E2e.Reply again = importItems(file);
        assertThat(again.body().path("defined").asInt()).as("a re-run records nothing").isZero();
        assertThat(again.body().path("unchanged").asInt()).isEqualTo(4070);
    }

    private static E2e.Reply importItems(byte[] gzip) {
        return E2e.reply(RestAssured.given().header("Authorization", "Bearer " + Api.ADMIN_KEY).contentType("application/gzip")
                .body(gzip).post("/v1/items/import?source=online-retail"));
    }

    /** {a,"b c"} as text -> [a, b c] (the categories here have no quotes or commas inside). */
    private static List<String> pgArray(String text) {
        String inner = text.substring(1, text.length() - 1);
        return inner.isEmpty() ? List.of() : Arrays.stream(inner.split(",")).map(s -> s.replace("\"", "")).toList();
    }
}
