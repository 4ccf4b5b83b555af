package io.ulm.interest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ulm.ingest.CsvMapping;
import io.ulm.ingest.ImportService;
import io.ulm.ingest.Imports;
import io.ulm.platform.Json;
import io.ulm.projection.ReplayAudit;
import io.ulm.support.Api;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MovieLens end to end, on the 58 users who tagged, under their own ids ({@code mlt-<userId>}): the tests of one
 * run share a database, and these users' Movie Tagged messages must not change what other tests check about the
 * MovieLens raters. The catalogue (movies.csv through the catalogue's import, see {@link TestCatalogue}), the
 * ratings and the tags imported through their CSV mappings, then keywords checked against an independent
 * computation from the raw files and against a raw-count baseline, a topic fit through the API (twice: the
 * same model), and the replay audit of the interest-text tables.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class InterestMovieLensTest {

    /** The users' ids here: the MovieLens id with this prefix. */
    static final String PREFIX = "mlt-";
    private static final List<String> ANIMATION_TAGS = List.of("pixar", "animation", "disney", "animated", "cartoon");

    @Inject
    Imports imports;
    @Inject
    DataSource db;
    @Inject
    InterestIndex index;
    @Inject
    InterestConfig config;
    @Inject
    ReplayAudit replayAudit;

    @Test
    void keywordsTopicsAndReplayAuditOnMovieLens() throws Exception {
        Map<String, MovieLensText.Movie> movies = MovieLensText.movies();
        List<MovieLensText.Tag> tags = MovieLensText.tags().stream()
                .map(t -> new MovieLensText.Tag(PREFIX + t.user(), t.movie(), t.tag(), t.timestamp())).toList();
        Set<String> taggers = new HashSet<>(tags.stream().map(MovieLensText.Tag::user).toList());
        List<MovieLensText.Rating> ratings = MovieLensText.ratings().stream().filter(r -> taggers.contains(PREFIX + r.user()))
                .map(r -> new MovieLensText.Rating(PREFIX + r.user(), r.movie(), r.rating(), r.timestamp())).toList();
        TestCatalogue.movies(db, movies);
        // the real rows through the built-in mappings, only the user ids changed
        ImportService.Result rated = importCsv(csv(List.of("userId", "movieId", "rating", "timestamp"), ratings.stream()
                .map(r -> List.of(r.user(), r.movie(), r.rating(), Long.toString(r.timestamp()))).toList()), "movielens");
        ImportService.Result tagged = importCsv(csv(List.of("userId", "movieId", "tag", "timestamp"), tags.stream()
                .map(t -> List.of(t.user(), t.movie(), t.tag(), Long.toString(t.timestamp()))).toList()), "movielens-tags");
        System.out.printf("[interests] ratings: read %d stored %d duplicates %d; tags: read %d stored %d duplicates %d rejected %d%n",
                rated.read(), rated.stored(), rated.duplicates(), tagged.read(), tagged.stored(), tagged.duplicates(), tagged.rejected());
        assertThat(tagged.read()).isEqualTo(tags.size());
        assertThat(tagged.rejected()).isZero();
        assertThat(tagged.stored() + tagged.duplicates()).isEqualTo(tags.size());
        awaitCaughtUp();
        InterestIndex.Refresh refresh = index.refresh(true);
        System.out.println("[interests] refresh: " + refresh);

        Map<String, Map<String, Long>> bags = expectedBags(movies, tags, ratings);
        keywordsAreTheFormulaOnTheIndependentBag(bags);
        taggedInterestsRankHighAndAboveTheRawCountBaseline(bags, tags);
        topicFitIsAsynchronousAndReproducible();
        replayAuditFindsTheInterestTablesIdentical();

        Api.reader().get("/v1/users/nobody-" + System.nanoTime() + "/interests").then().statusCode(404)
                .contentType("application/problem+json");
        Api.reader().get("/v1/users/474/interests?keywords=0").then().statusCode(400);
        Api.reader().post("/v1/admin/topics/fit").then().statusCode(403);
    }

    /** Every user's bag, from the raw files and the catalogue rows: titles x engagements, plus her tags x the weight. */
    private Map<String, Map<String, Long>> expectedBags(Map<String, MovieLensText.Movie> movies, List<MovieLensText.Tag> tags,
                                                     List<MovieLensText.Rating> ratings) throws Exception {
        TextAnalyzer analyzer = TextAnalyzer.of(config);
        Map<String, Map<String, Integer>> itemTerms = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT item_id, coalesce(title, '') || E'\\n' || coalesce(description, '') FROM item WHERE item_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", movies.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    itemTerms.put(rs.getString(1), analyzer.counts(rs.getString(2)));
                }
            }
        }
        Map<String, Map<String, Long>> engagements = new TreeMap<>();
        Map<String, Map<String, Long>> bags = new TreeMap<>();
        Set<String> ids = new HashSet<>();
        for (MovieLensText.Tag t : tags) {
            // the message id is movielens-tag-<user>-<movie>-<timestamp>: the first tag of a collision is the one stored
            if (ids.add(t.user() + "-" + t.movie() + "-" + t.timestamp())) {
                engagements.computeIfAbsent(t.user(), k -> new TreeMap<>()).merge(t.movie(), 1L, Long::sum);
                analyzer.counts(t.tag()).forEach((term, n) -> bags.computeIfAbsent(t.user(), k -> new TreeMap<>())
                        .merge(term, (long) n * config.ownTextWeight(), Long::sum));
            }
        }
        for (MovieLensText.Rating r : ratings) {
            engagements.computeIfAbsent(r.user(), k -> new TreeMap<>()).merge(r.movie(), 1L, Long::sum);
        }
        engagements.forEach((user, items) -> items.forEach((item, e) -> itemTerms.getOrDefault(item, Map.of())
                .forEach((term, n) -> bags.computeIfAbsent(user, k -> new TreeMap<>()).merge(term, n * e, Long::sum))));
        return bags;
    }

    /** The API's keywords are exactly TF-IDF (with the stored df and N) on the bag computed from the raw files. */
    private void keywordsAreTheFormulaOnTheIndependentBag(Map<String, Map<String, Long>> bags) throws Exception {
        Map<String, Long> df = new HashMap<>();
        long documents;
        try (Connection c = db.getConnection(); var s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT term, df FROM interest_term_df")) {
                while (rs.next()) {
                    df.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT users FROM interest_corpus")) {
                rs.next();
                documents = rs.getLong(1);
            }
        }
        assertThat(documents).as("N counts at least the taggers").isGreaterThanOrEqualTo(58);
        for (String user : List.of(PREFIX + "319", PREFIX + "336", PREFIX + "119", PREFIX + "474")) {
            JsonNode body = interests(user, 30);
            List<String> actual = new ArrayList<>();
            body.path("keywords").forEach(k -> actual.add(k.path("term").asText() + "/" + k.path("count").asLong() + "/"
                    + k.path("df").asLong() + "/" + k.path("score").asDouble()));
            List<String> expected = TfIdf.top(bags.get(user), df, documents, 30, config.keywordMinCount(), config.keywordMinDf())
                    .stream().map(k -> k.term() + "/" + k.count() + "/" + k.df() + "/" + InterestQueries.round(k.score())).toList();
            System.out.println("[interests] user " + user + ": " + actual.subList(0, Math.min(8, actual.size())));
            assertThat(actual).as("keywords of user " + user).isEqualTo(expected);
            assertThat(body.path("documents").asLong()).isEqualTo(documents);
            assertThat(body.path("related").path("categories").asText()).isEqualTo("/v1/users/" + user + "/features");
        }
    }

    /**
     * Users who tagged movies pixar, animation, disney...: where the tag is among her three most used tag words,
     * it is among her 20 keywords for most such users; and over every (user, tag word) pair TF-IDF ranks the
     * tag word far higher than ranking her bag by count does (the baseline: without idf, the words of the
     * titles she rated drown it).
     */
    private void taggedInterestsRankHighAndAboveTheRawCountBaseline(Map<String, Map<String, Long>> bags,
                                                                  List<MovieLensText.Tag> tags) throws Exception {
        TextAnalyzer analyzer = TextAnalyzer.of(config);
        Map<String, Map<String, Long>> ownTerms = new TreeMap<>();
        Set<String> ids = new HashSet<>();
        tags.stream().filter(t -> ids.add(t.user() + "-" + t.movie() + "-" + t.timestamp())) // the tags stored
                .forEach(t -> analyzer.counts(t.tag()).forEach((term, n) -> ownTerms.computeIfAbsent(t.user(), k -> new TreeMap<>())
                        .merge(term, (long) n, Long::sum)));
        double tfidfMrr = 0;
        double rawMrr = 0;
        int pairs = 0;
        int favourites = 0;
        int favouritesInTop20 = 0;
        Map<String, String> table = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Long>> user : ownTerms.entrySet()) {
            List<String> keywords = new ArrayList<>();
            List<String> byOwnCount = sortedByCount(user.getValue());
            List<String> byCount = sortedByCount(bags.get(user.getKey())).stream()
                    .filter(t -> bags.get(user.getKey()).get(t) >= config.keywordMinCount()).toList();
            for (String word : ANIMATION_TAGS) {
                if (!user.getValue().containsKey(word)) {
                    continue;
                }
                if (keywords.isEmpty()) {
                    interests(user.getKey(), 200).path("keywords").forEach(k -> keywords.add(k.path("term").asText()));
                }
                int rank = keywords.indexOf(word) + 1;
                int raw = byCount.indexOf(word) + 1;
                tfidfMrr += rank == 0 ? 0 : 1.0 / rank;
                rawMrr += raw == 0 ? 0 : 1.0 / raw;
                pairs++;
                boolean favourite = byOwnCount.indexOf(word) < 3;
                favourites += favourite ? 1 : 0;
                favouritesInTop20 += favourite && rank >= 1 && rank <= 20 ? 1 : 0;
                table.put(user.getKey() + ":" + word, "tag rank " + (byOwnCount.indexOf(word) + 1) + ", tf-idf rank " + rank
                        + ", count rank " + raw);
            }
        }
        System.out.printf("[interests] tagged words: %s%n[interests] MRR tf-idf %.3f, raw count %.3f over %d pairs; favourites in top 20: "
                + "%d of %d%n", table, tfidfMrr / pairs, rawMrr / pairs, pairs, favouritesInTop20, favourites);
        assertThat(pairs).isGreaterThanOrEqualTo(10);
        assertThat(tfidfMrr).as("tf-idf vs raw-count ranking of the tagged words").isGreaterThan(2 * rawMrr);
        assertThat(favourites).isGreaterThanOrEqualTo(5);
        assertThat(favouritesInTop20).as("favourite tag words in the top 20").isGreaterThanOrEqualTo((int) Math.ceil(0.75 * favourites));
    }

    private void topicFitIsAsynchronousAndReproducible() throws Exception {
        String params = "{\"topics\": 8, \"iterations\": 120, \"seed\": 7}";
        Api.admin().body("{\"topics\": 1}").post("/v1/admin/topics/fit").then().statusCode(400);
        Api.admin().body("{\"k\": 8}").post("/v1/admin/topics/fit").then().statusCode(400);
        JsonNode first = Json.mapper().readTree(Api.admin().body(params).post("/v1/admin/topics/fit").then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.containsString("/v1/admin/topics/fit/")).extract().asString());
        long id = first.path("id").asLong();
        var again = Api.admin().body(params).post("/v1/admin/topics/fit");
        if (again.statusCode() == 409) { // the first is still running: one fit at a time
            assertThat(Json.mapper().readTree(again.asString()).path("fit").asLong()).isEqualTo(id);
        }
        JsonNode done = awaitFit(id);
        JsonNode topics1 = Json.mapper().readTree(Api.reader().get("/v1/topics?words=10").then().statusCode(200).extract().asString());
        if (again.statusCode() == 202) {
            awaitFit(Json.mapper().readTree(again.asString()).path("id").asLong());
        }
        long second = Json.mapper().readTree(Api.admin().body(params).post("/v1/admin/topics/fit").then().statusCode(202)
                .extract().asString()).path("id").asLong();
        JsonNode done2 = awaitFit(second);
        JsonNode topics2 = Json.mapper().readTree(Api.reader().get("/v1/topics?words=10").then().statusCode(200).extract().asString());
        System.out.println("[interests] fit: " + done2);
        topics2.path("topics").forEach(t -> System.out.println("[interests] topic " + t.path("topic") + " " + t.path("share") + " "
                + t.path("words").findValuesAsText("word")));

        assertThat(done.path("documents").asInt()).as("MovieLens items with a word in the vocabulary").isGreaterThan(8000);
        assertThat(topics2.path("model").path("id").asLong()).isEqualTo(second);
        assertThat(topics2.path("topics")).hasSize(8);
        assertThat(topics2.path("topics")).as("same data, same seed: same topics").isEqualTo(topics1.path("topics"));
        assertThat(done2.path("coherence").asDouble()).isEqualTo(done.path("coherence").asDouble());
        Api.reader().get("/v1/topics?model=" + id).then().statusCode(200);
        Api.reader().get("/v1/topics?model=999999").then().statusCode(404);

        JsonNode mine = interests(PREFIX + "474", 5);
        assertThat(mine.path("topicModel").asLong()).isEqualTo(second);
        assertThat(mine.path("topics")).hasSize(5);
        double sum = 0;
        for (JsonNode t : interests(PREFIX + "474", 5).path("topics")) {
            sum += t.path("weight").asDouble();
        }
        assertThat(sum).isBetween(0.3, 1.0001);
    }

    /** The audit through its bean, not HTTP: it rebuilds every projection over the whole log, longer than a request timeout. */
    private void replayAuditFindsTheInterestTablesIdentical() throws Exception {
        ReplayAudit.Report audit = replayAudit.run();
        ReplayAudit.ProjectionReport report = audit.projections().stream()
                .filter(p -> InterestTextProjection.NAME.equals(p.projection())).findFirst().orElseThrow();
        System.out.printf("[interests] replay audit in %.1f s: %s%n", audit.seconds(), report);
        assertThat(report.identical()).as(report.toString()).isTrue();
        assertThat(report.tables()).extracting(ReplayAudit.TableReport::table).containsExactly("interest_user_item", "interest_user_text");
        report.tables().forEach(t -> assertThat(t.liveRows()).as(t.table()).isPositive());
    }

    private static JsonNode interests(String user, int keywords) throws Exception {
        return Json.mapper().readTree(Api.reader().get("/v1/users/" + user + "/interests?keywords=" + keywords).then().statusCode(200)
                .extract().asString());
    }

    private static JsonNode awaitFit(long id) throws Exception {
        await().atMost(120, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() ->
                !"RUNNING".equals(Json.mapper().readTree(Api.admin().get("/v1/admin/topics/fit/" + id).asString()).path("state").asText()));
        JsonNode fit = Json.mapper().readTree(Api.admin().get("/v1/admin/topics/fit/" + id).asString());
        assertThat(fit.path("state").asText()).as(fit.toString()).isEqualTo("DONE");
        assertThat(fit.path("progress").asDouble()).isEqualTo(1.0);
        return fit;
    }

    private static List<String> sortedByCount(Map<String, Long> counts) {
        List<String> terms = new ArrayList<>(counts.keySet());
        terms.sort((a, b) -> counts.get(b).equals(counts.get(a)) ? a.compareTo(b) : Long.compare(counts.get(b), counts.get(a)));
        return terms;
    }

    private ImportService.Result importCsv(byte[] csv, String mapping) throws Exception {
        try (InputStream in = new ByteArrayInputStream(csv)) {
            return imports.csv(in, CsvMapping.load(mapping), "test", null);
        }
    }

    private static byte[] csv(List<String> header, List<List<String>> rows) throws Exception {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get())) {
            for (List<String> row : rows) {
                printer.printRecord(row);
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitCaughtUp() {
        await().atMost(300, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
            JsonNode p = Json.mapper().readTree(Api.admin().get("/v1/admin/projections").asString()).path("processors")
                    .path(InterestTextProjection.NAME);
            return !p.isMissingNode() && p.path("lag").asLong() <= 0 && !p.path("replaying").asBoolean();
        });
    }
}
