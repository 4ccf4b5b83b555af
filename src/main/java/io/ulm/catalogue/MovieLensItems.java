package io.ulm.catalogue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ulm.platform.Json;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MovieLens {@code movies.csv} ({@code movieId,title,genres}) as catalogue items: id = movieId, title as
 * written (with its year), categories = the genres split on '|' ("(no genres listed)" = none), properties
 * {@code {"dataset": "movielens", "year": 1995}} (year parsed from the title's trailing "(1995)", when present).
 */
public final class MovieLensItems {

    static final String NO_GENRES = "(no genres listed)";
    private static final Pattern YEAR = Pattern.compile("\\((\\d{4})\\)\\s*$");

    private MovieLensItems() {
    }

    public static ItemFile read(InputStream in) throws IOException {
        List<ItemDefinition> items = new ArrayList<>();
        List<ItemError> errors = new ArrayList<>();
        try (CSVParser parser = ItemFile.csv(in)) {
            ItemFile.requireColumns(parser, "MovieLens movies.csv", List.of("movieId", "title", "genres"));
            for (CSVRecord row : parser) {
                int line = (int) row.getRecordNumber() + 1;
                String id = row.isConsistent() ? row.get("movieId").strip() : "";
                String problem = row.isConsistent() ? ItemDefinitions.checkId(id) : "expected " + parser.getHeaderNames().size() + " columns";
                if (problem != null) {
                    errors.add(new ItemError(line, "movieId", "", "line " + line + ": " + problem));
                    continue;
                }
                items.add(item(id, row.get("title").strip(), row.get("genres")));
            }
        }
        return new ItemFile(items, errors);
    }

    static ItemDefinition item(String id, String title, String genres) {
        List<String> categories = Arrays.stream(genres.split("\\|")).map(String::strip)
                .filter(g -> !g.isEmpty() && !g.equals(NO_GENRES)).distinct().toList();
        ObjectNode properties = Json.mapper().createObjectNode().put("dataset", "movielens");
        Matcher year = YEAR.matcher(title);
        if (year.find()) {
            properties.put("year", Integer.parseInt(year.group(1)));
        }
        return new ItemDefinition(id, title.isEmpty() ? null : title, null, categories, properties);
    }
}
