package io.ulm.model.recsys;

import io.ulm.catalogue.SharedData;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** MovieLens latest-small from the shared data sets: every rating is one interaction of weight 1, genres are categories. */
public final class MovieLens {

    /** MovieLens marks movies without genres with this pseudo-genre; it says nothing about taste. */
    private static final String NO_GENRES = "(no genres listed)";

    private MovieLens() {
    }

    public static List<Interaction> ratings() throws IOException {
        Path file = SharedData.path(SharedData.RATINGS);
        List<Interaction> interactions = new ArrayList<>(110_000);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line = in.readLine(); // header userId,movieId,rating,timestamp
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",");
                interactions.add(new Interaction(f[0], f[1], Instant.ofEpochSecond(Long.parseLong(f[3])), 1));
            }
        }
        return interactions;
    }

    /** movieId → genres; the title may contain quoted commas, so the genres are the text after the last comma. */
    public static Map<String, List<String>> genres() throws IOException {
        Map<String, List<String>> genres = new HashMap<>();
        List<String> lines = Files.readAllLines(SharedData.path(SharedData.MOVIES), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String id = line.substring(0, line.indexOf(','));
            List<String> list = List.of(line.substring(line.lastIndexOf(',') + 1).split("\\|"));
            genres.put(id, list.contains(NO_GENRES) ? List.of() : list);
        }
        return genres;
    }
}
