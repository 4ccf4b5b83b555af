package io.ulm.interest;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.fail;

/** The MovieLens latest-small files the interest tests read directly: titles and genres, tags, ratings. */
final class MovieLensText {

    record Movie(String id, String title, String genres) {
        boolean animationOrChildren() {
            return genres.contains("Animation") || genres.contains("Children");
        }
    }

    record Tag(String user, String movie, String tag, long timestamp) {
    }

    record Rating(String user, String movie, String rating, long timestamp) {
    }

    private MovieLensText() {
    }

    /** {@code ${shared.dir}/datasets/movielens-latest-small/<name>}, or a failed test saying what is missing. */
    static Path file(String name) {
        String shared = System.getProperty("shared.dir");
        if (shared == null || shared.isBlank()) {
            fail("System property shared.dir is not set (surefire sets it to ../shared)");
        }
        Path file = Path.of(shared, "datasets", "movielens-latest-small", name).toAbsolutePath().normalize();
        if (!Files.isReadable(file)) {
            fail("Data set file " + file + " not found (see ../shared/datasets/README.md); this test needs it");
        }
        return file;
    }

    static Map<String, Movie> movies() throws IOException {
        Map<String, Movie> movies = new LinkedHashMap<>();
        try (CSVParser p = CSVParser.parse(file("movies.csv"), StandardCharsets.UTF_8, header())) {
            for (CSVRecord r : p) {
                movies.put(r.get("movieId"), new Movie(r.get("movieId"), r.get("title"), r.get("genres")));
            }
        }
        return movies;
    }

    static List<Tag> tags() throws IOException {
        List<Tag> tags = new ArrayList<>();
        try (Reader in = gunzip("tags.csv.gz"); CSVParser p = CSVParser.parse(in, header())) {
            for (CSVRecord r : p) {
                tags.add(new Tag(r.get("userId"), r.get("movieId"), r.get("tag"), Long.parseLong(r.get("timestamp"))));
            }
        }
        return tags;
    }

    static List<Rating> ratings() throws IOException {
        List<Rating> ratings = new ArrayList<>();
        try (Reader in = gunzip("ratings.csv.gz"); CSVParser p = CSVParser.parse(in, header())) {
            for (CSVRecord r : p) {
                ratings.add(new Rating(r.get("userId"), r.get("movieId"), r.get("rating"), Long.parseLong(r.get("timestamp"))));
            }
        }
        return ratings;
    }

    /** Item documents as the topic fit builds them: title terms plus the terms of every tag given to the movie. */
    static List<TopicModeler.Document> documents(Map<String, Movie> movies, List<Tag> tags, TextAnalyzer analyzer) {
        Map<String, Map<String, Integer>> docs = new TreeMap<>();
        movies.values().forEach(m -> docs.put(m.id(), new TreeMap<>(analyzer.counts(m.title()))));
        for (Tag t : tags) {
            analyzer.counts(t.tag()).forEach((term, n) -> docs.computeIfAbsent(t.movie(), k -> new TreeMap<>()).merge(term, n, Integer::sum));
        }
        List<TopicModeler.Document> list = new ArrayList<>();
        docs.forEach((id, terms) -> list.add(new TopicModeler.Document(id, terms)));
        return list;
    }

    private static Reader gunzip(String name) throws IOException {
        return new InputStreamReader(new GZIPInputStream(Files.newInputStream(file(name)), 1 << 16), StandardCharsets.UTF_8);
    }

    private static CSVFormat header() {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
    }
}
