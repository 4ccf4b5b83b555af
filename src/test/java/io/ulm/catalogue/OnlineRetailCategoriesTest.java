package io.ulm.catalogue;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Online Retail items and their categories from the declared keyword table, against the raw file: every
 * stock code becomes one item, almost all described ones get a category, and the non-merchandise lines are fees.
 */
class OnlineRetailCategoriesTest {

    private static final OnlineRetailCategories TABLE = OnlineRetailCategories.defaults();
    private static ItemFile items;
    private static Set<String> rawCodes;
    private static Set<String> soldCodes;

    @BeforeAll
    static void read() throws Exception {
        try (InputStream in = Files.newInputStream(SharedData.path(SharedData.RETAIL))) {
            items = OnlineRetailItems.read(in, TABLE);
        }
        rawCodes = new LinkedHashSet<>();
        soldCodes = new LinkedHashSet<>();
        try (CSVParser parser = CSVParser.parse(new InputStreamReader(new GZIPInputStream(Files.newInputStream(
                SharedData.path(SharedData.RETAIL))), StandardCharsets.UTF_8), CSVFormat.DEFAULT.builder().setHeader().get())) {
            for (CSVRecord row : parser) {
                rawCodes.add(row.get("StockCode").strip());
                if (!row.get("CustomerID").isBlank()) {
                    soldCodes.add(row.get("StockCode").strip());
                }
            }
        }
    }

    @Test
    void everyStockCodeIsOneItemInOrderOfFirstAppearance() {
        assertThat(items.errors()).isEmpty();
        assertThat(items.items()).extracting(ItemDefinition::itemId).containsExactlyElementsOf(rawCodes);
        assertThat(rawCodes).hasSize(4070);
    }

    @Test
    void aboutFifteenCategoriesCoverAlmostEveryDescribedItem() {
        List<ItemDefinition> described = items.items().stream().filter(i -> i.title() != null).toList();
        Map<String, Long> perCategory = new TreeMap<>(items.items().stream()
                .collect(Collectors.groupingBy(i -> i.categories().isEmpty() ? "(none)" : i.categories().get(0), Collectors.counting())));
        long categorised = described.stream().filter(i -> !i.categories().isEmpty()).count();
        long sold = items.items().stream().filter(i -> soldCodes.contains(i.itemId())).count();
        long soldCategorised = items.items().stream().filter(i -> soldCodes.contains(i.itemId()) && !i.categories().isEmpty()).count();
        System.out.printf("[online-retail items] %d items, %d described, %d categorised (%.1f%% of described); sold to customers: %d, "
                + "categorised %.1f%%; per category %s%n", items.items().size(), described.size(), categorised,
                100.0 * categorised / described.size(), sold, 100.0 * soldCategorised / sold, perCategory);
        assertThat(TABLE.categories()).hasSizeBetween(14, 18).contains("fees", "seasonal", "bags", "lighting", "kitchen");
        assertThat(items.items()).allSatisfy(i -> assertThat(i.categories()).hasSizeLessThanOrEqualTo(1));
        assertThat((double) categorised / described.size()).as("share of described items with a category").isGreaterThan(0.95);
        assertThat((double) soldCategorised / sold).as("share of items sold to customers with a category").isGreaterThan(0.95);
        assertThat(perCategory.keySet()).containsAll(TABLE.categories());
    }

    @Test
    void theFirstMatchingRuleWins() {
        assertThat(TABLE.categorise("85123A", "WHITE HANGING HEART T-LIGHT HOLDER")).containsExactly("lighting");
        assertThat(TABLE.categorise("x", "CHRISTMAS T-LIGHT HOLDER")).containsExactly("seasonal");
        assertThat(TABLE.categorise("x", "JUMBO BAG RED RETROSPOT")).containsExactly("bags");
        assertThat(TABLE.categorise("x", "SET OF 3 CAKE TINS PANTRY DESIGN")).containsExactly("kitchen");
        assertThat(TABLE.categorise("x", "ENGLISH ROSE HOT WATER BOTTLE")).containsExactly("accessories");
        assertThat(TABLE.categorise("x", "WOODEN HEART")).containsExactly("home-decor");
        assertThat(TABLE.categorise("x", "TLIGHTS")).isEmpty();                 // whole words only
        assertThat(TABLE.categorise("x", null)).isEmpty();
    }

    @Test
    void nonMerchandiseLinesAreFees() {
        Map<String, ItemDefinition> byCode = new HashMap<>();
        items.items().forEach(i -> byCode.put(i.itemId(), i));
        for (String code : List.of("POST", "DOT", "C2", "M", "m", "D", "B", "S", "BANK CHARGES", "AMAZONFEE", "CRUK",
                "gift_0001_10", "gift_0001_50", "22016", "23444")) {
            assertThat(byCode.get(code).categories()).as(code + " " + byCode.get(code).title()).containsExactly("fees");
        }
        List<String> fees = items.items().stream().filter(i -> i.categories().equals(List.of("fees"))).map(i -> i.itemId() + " " + i.title()).toList();
        System.out.println("[online-retail items] fees: " + fees);
        assertThat(fees).hasSizeLessThan(25);
        // product codes are never fees
        assertThat(byCode.get("85123A").categories()).containsExactly("lighting");
        assertThat(byCode.get("DCGS0004").categories()).containsExactly("bags");
    }

    @Test
    void theTitleIsTheDescriptionMostUsedInSales() {
        Map<String, ItemDefinition> byCode = new HashMap<>();
        items.items().forEach(i -> byCode.put(i.itemId(), i));
        assertThat(byCode.get("85123A").title()).isEqualTo("WHITE HANGING HEART T-LIGHT HOLDER");
        // stock adjustments ("thrown away", "damages") carry no CustomerID and never become the title of a sold item
        assertThat(items.items().stream().filter(i -> soldCodes.contains(i.itemId())).map(ItemDefinition::title))
                .noneMatch(t -> t != null && (t.startsWith("thrown away") || t.equals("damages") || t.equals("?")));
        assertThat(items.items()).allSatisfy(i -> assertThat(i.properties().path("dataset").asText()).isEqualTo("online-retail"));
    }
}
