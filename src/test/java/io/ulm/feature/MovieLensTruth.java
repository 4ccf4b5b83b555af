package io.ulm.feature;

import io.ulm.catalogue.SharedData;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * What the features of MovieLens users must be, computed here straight from ratings.csv.gz and movies.csv with the
 * formulas of docs/features.md, without any production code: each rating is a view (weight 1) of one movie, whose
 * genres are its categories.
 */
final class MovieLensTruth {

    record Rating(String movie, long epochSecond) {
    }

    final Map<String, List<String>> genres = new HashMap<>();
    final Map<String, List<Rating>> ratings = new HashMap<>();
    final Map<String, Long> genreCounts = new TreeMap<>();
    long moviesWithoutGenres;

    static MovieLensTruth read() throws Exception {
        MovieLensTruth truth = new MovieLensTruth();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser movies = CSVParser.parse(SharedData.path(SharedData.MOVIES), StandardCharsets.UTF_8, format)) {
            for (CSVRecord row : movies) {
                List<String> g = row.get("genres").equals("(no genres listed)") ? List.of() : Arrays.asList(row.get("genres").split("\\|"));
                truth.genres.put(row.get("movieId"), g);
                g.forEach(x -> truth.genreCounts.merge(x, 1L, Long::sum));
                truth.moviesWithoutGenres += g.isEmpty() ? 1 : 0;
            }
        }
        try (CSVParser rows = CSVParser.parse(new InputStreamReader(new GZIPInputStream(Files.newInputStream(
                SharedData.path(SharedData.RATINGS))), StandardCharsets.UTF_8), format)) {
            for (CSVRecord row : rows) {
                truth.ratings.computeIfAbsent(row.get("userId"), k -> new ArrayList<>())
                        .add(new Rating(row.get("movieId"), Long.parseLong(row.get("timestamp"))));
            }
        }
        return truth;
    }

    long latestRating() {
        return ratings.values().stream().flatMap(List::stream).mapToLong(Rating::epochSecond).max().orElseThrow();
    }

    /** weight_g(T) = sum over the user's ratings r of a movie of genre g of 2^(-(T - t_r) / 30 days). */
    Map<String, Double> interests(String user, Instant t) {
        Map<String, Double> w = new TreeMap<>();
        for (Rating r : ratings.get(user)) {
            double days = (t.getEpochSecond() - r.epochSecond()) / 86_400.0;
            double x = Math.pow(2, -days / 30.0);
            for (String g : genres.getOrDefault(r.movie(), List.of())) {
                w.merge(g, x, Double::sum);
            }
        }
        return w;
    }

    /** Sessions: ratings in time order, a new session after a gap of 30 minutes or more. */
    long sessions(String user) {
        long[] times = ratings.get(user).stream().mapToLong(Rating::epochSecond).sorted().toArray();
        long sessions = 1;
        for (int i = 1; i < times.length; i++) {
            sessions += times[i] - times[i - 1] >= 1800 ? 1 : 0;
        }
        return sessions;
    }

    /** Ratings on the UTC days from {@code daysBack} days before T's day to {@code daysBackEnd} (inclusive, 0 = T's day). */
    long ratingsOnDays(String user, Instant t, int fromDaysBack, int toDaysBack) {
        LocalDate today = t.atZone(ZoneOffset.UTC).toLocalDate();
        return ratings.get(user).stream().map(r -> Instant.ofEpochSecond(r.epochSecond()).atZone(ZoneOffset.UTC).toLocalDate())
                .filter(d -> !d.isBefore(today.minusDays(fromDaysBack)) && !d.isAfter(today.minusDays(toDaysBack))).count();
    }

    long first(String user) {
        return ratings.get(user).stream().mapToLong(Rating::epochSecond).min().orElseThrow();
    }

    long last(String user) {
        return ratings.get(user).stream().mapToLong(Rating::epochSecond).max().orElseThrow();
    }
}
