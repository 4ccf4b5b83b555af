package io.ulm.catalogue;

import io.ulm.platform.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The declared keyword table that gives an Online Retail item its category
 * ({@code projections/item-categories/online-retail.yaml}): the first rule matching the stock code or the
 * title's words wins. Pure Java; the file's header explains the rule.
 */
public final class OnlineRetailCategories {

    public static final String DEFAULT_LOCATION = "projections/item-categories/online-retail.yaml";

    /** The file's content. */
    public record Table(int version, List<Rule> rules) {
        public Table {
            Objects.requireNonNull(rules, "rules");
        }
    }

    /** One rule: a category and what makes an item belong to it. */
    public record Rule(String category, List<String> stockCodes, List<String> stockCodePrefixes, List<String> keywords) {
        public Rule {
            Objects.requireNonNull(category, "category");
            stockCodes = stockCodes == null ? List.of() : List.copyOf(stockCodes);
            stockCodePrefixes = stockCodePrefixes == null ? List.of() : List.copyOf(stockCodePrefixes);
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
        }
    }

    private record Compiled(String category, List<String> codes, List<String> prefixes, List<String[]> phrases) {
    }

    private final List<Compiled> rules = new ArrayList<>();

    private OnlineRetailCategories(Table table) {
        for (Rule r : table.rules()) {
            rules.add(new Compiled(r.category(), r.stockCodes(), r.stockCodePrefixes(), r.keywords().stream().map(OnlineRetailCategories::words).toList()));
        }
    }

    /** The shipped table. */
    public static OnlineRetailCategories defaults() {
        return load(DEFAULT_LOCATION);
    }

    /** Loads a table from a file path, else from the classpath; an invalid file fails with its name. */
    public static OnlineRetailCategories load(String location) {
        Path file = Path.of(location);
        try (InputStream in = Files.isRegularFile(file) ? Files.newInputStream(file)
                : OnlineRetailCategories.class.getClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                throw new IllegalStateException("Item category table not found: " + location);
            }
            // optional keys (stockCodes, stockCodePrefixes, keywords) may be left out; unknown ones still fail
            return new OnlineRetailCategories(Json.yaml().copy()
                    .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                    .readValue(in, Table.class));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Invalid item category table " + location + ": " + e.getMessage(), e);
        }
    }

    /** The item's category (none, or exactly one: the first matching rule's). */
    public List<String> categorise(String stockCode, String title) {
        String[] words = title == null ? new String[0] : words(title);
        for (Compiled rule : rules) {
            if (rule.codes().contains(stockCode) || rule.prefixes().stream().anyMatch(stockCode::startsWith)
                    || rule.phrases().stream().anyMatch(p -> contains(words, p))) {
                return List.of(rule.category());
            }
        }
        return List.of();
    }

    /** The categories the table can give, in rule order, without repeats. */
    public List<String> categories() {
        return rules.stream().map(Compiled::category).distinct().toList();
    }

    /** Upper-case words: runs of A-Z and 0-9 (everything else separates words). */
    static String[] words(String text) {
        return Arrays.stream(text.toUpperCase(Locale.ROOT).split("[^A-Z0-9]+")).filter(w -> !w.isEmpty()).toArray(String[]::new);
    }

    private static boolean contains(String[] words, String[] phrase) {
        if (phrase.length == 0) {
            return false;
        }
        for (int i = 0; i + phrase.length <= words.length; i++) {
            if (Arrays.equals(words, i, i + phrase.length, phrase, 0, phrase.length)) {
                return true;
            }
        }
        return false;
    }
}
