package io.ulm.interest;

import io.restassured.response.Response;
import io.ulm.support.Api;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Items for the interest tests. Through the catalogue's public API (PUT /v1/items/{id}, POST /v1/items/import) when
 * this build has it: then the items are ItemCatalogued events and the catalogue projection's replay audit stays
 * identical. Without the catalogue capability (404) straight into its table, as the catalogue would write them.
 */
final class TestCatalogue {

    private TestCatalogue() {
    }

    static void define(DataSource db, String id, String title, String description) throws Exception {
        Response r = Api.admin().body(Map.of("title", title, "description", description)).put("/v1/items/" + id);
        if (r.statusCode() == 404 || r.statusCode() == 405) {
            sql(db, new String[]{id}, new String[]{title}, new String[]{description}, new String[]{""});
        } else {
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        }
        awaitTitles(db, java.util.List.of(id), 1);
    }

    /** movies.csv as the catalogue: the data-set import, or titles and genres by SQL. */
    static void movies(DataSource db, Map<String, MovieLensText.Movie> movies) throws Exception {
        Response r = Api.admin().contentType("text/csv").body(Files.readAllBytes(MovieLensText.file("movies.csv")))
                .post("/v1/items/import?source=movielens");
        if (r.statusCode() == 404 || r.statusCode() == 405) {
            sql(db, movies.keySet().toArray(String[]::new), movies.values().stream().map(MovieLensText.Movie::title).toArray(String[]::new),
                    new String[movies.size()], movies.values().stream().map(MovieLensText.Movie::genres).toArray(String[]::new));
        } else {
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        }
        awaitTitles(db, movies.keySet(), movies.size());
    }

    private static void sql(DataSource db, String[] ids, String[] titles, String[] descriptions, String[] genres) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO item (item_id, title, description, categories, source)
                SELECT id, title, description, CASE WHEN genres = '' THEN '{}' ELSE string_to_array(genres, '|') END, 'catalogue'
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS m(id, title, description, genres)
                ON CONFLICT (item_id) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description
                WHERE item.title IS NULL""")) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("text", titles));
            ps.setArray(3, c.createArrayOf("text", descriptions));
            ps.setArray(4, c.createArrayOf("text", genres));
            ps.executeUpdate();
        }
    }

    /** The catalogue is a projection: wait until it shows the titles. */
    private static void awaitTitles(DataSource db, Collection<String> ids, long expected) {
        await().atMost(300, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS).until(() -> {
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM item WHERE item_id = ANY(?) AND title IS NOT NULL")) {
                ps.setArray(1, c.createArrayOf("text", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) >= expected;
                }
            }
        });
    }
}
