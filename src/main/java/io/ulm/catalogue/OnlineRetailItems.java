package io.ulm.catalogue;

import io.ulm.platform.Json;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The items of the UCI Online Retail transactions: one item per StockCode, in order of first appearance.
 * Its title is the Description used most often on rows with a CustomerID (real sales), else on any row
 * (stock adjustments such as "damages" carry no CustomerID); ties go to the description seen first. Its
 * category comes from {@link OnlineRetailCategories}; properties are {@code {"dataset": "online-retail"}}.
 */
public final class OnlineRetailItems {

    /** Description counts of one stock code, on sales rows and on all rows (insertion order breaks ties). */
    private static final class Descriptions {
        final Map<String, Integer> sales = new LinkedHashMap<>();
        final Map<String, Integer> all = new LinkedHashMap<>();

        void add(String description, boolean sale) {
            if (description.isEmpty()) {
                return;
            }
            all.merge(description, 1, Integer::sum);
            if (sale) {
                sales.merge(description, 1, Integer::sum);
            }
        }

        String title() {
            String best = mostFrequent(sales);
            return best != null ? best : mostFrequent(all);
        }

        private static String mostFrequent(Map<String, Integer> counts) {
            String best = null;
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                if (best == null || e.getValue() > counts.get(best)) {
                    best = e.getKey();
                }
            }
            return best;
        }
    }

    private OnlineRetailItems() {
    }

    public static ItemFile read(InputStream in, OnlineRetailCategories categories) throws IOException {
        Map<String, Descriptions> codes = new LinkedHashMap<>();
        List<ItemError> errors = new ArrayList<>();
        try (CSVParser parser = ItemFile.csv(in)) {
            ItemFile.requireColumns(parser, "Online Retail", List.of("StockCode", "Description", "CustomerID"));
            for (CSVRecord row : parser) {
                int line = (int) row.getRecordNumber() + 1;
                String code = row.isConsistent() ? row.get("StockCode").strip() : "";
                String problem = row.isConsistent() ? ItemDefinitions.checkId(code) : "expected " + parser.getHeaderNames().size() + " columns";
                if (problem != null) {
                    errors.add(new ItemError(line, "StockCode", "", "line " + line + ": " + problem));
                    continue;
                }
                codes.computeIfAbsent(code, c -> new Descriptions())
                        .add(row.get("Description").strip(), !row.get("CustomerID").isBlank());
            }
        }
        List<ItemDefinition> items = new ArrayList<>(codes.size());
        codes.forEach((code, d) -> {
            String title = d.title();
            items.add(new ItemDefinition(code, title, null, categories.categorise(code, title),
                    Json.mapper().createObjectNode().put("dataset", "online-retail")));
        });
        return new ItemFile(items, errors);
    }
}
