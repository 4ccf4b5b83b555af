package io.ulm.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.ulm.support.Api;
import io.ulm.support.PostgresResource;
import jakarta.inject.Inject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Imports the UCI "Online Retail" transactions (541,909 rows) with the built-in mapping and checks
 * every customer's profile against figures computed here, independently, from the raw CSV.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class OnlineRetailImportTest {

    private static final String DATASET = "online-retail/online_retail.csv.gz";
    private static final ZoneId UK = ZoneId.of("Europe/London");
    private static final DateTimeFormatter INVOICE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Inject
    Imports imports;

    @Inject
    DataSource dataSource;

    /** One customer, from the raw rows. */
    static final class Customer {
        final Set<String> invoices = new HashSet<>();
        final Set<String> cancellations = new HashSet<>();
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal refunded = BigDecimal.ZERO;
        final Set<String> stockCodes = new HashSet<>();
        LocalDateTime firstSeen;

        long messages() {
            return invoices.size() + cancellations.size() + 1; // + one identify (country)
        }
    }

    record Expected(Map<String, Customer> customers, long rows, long withoutCustomer) {
        long messages() {
            return customers.values().stream().mapToLong(Customer::messages).sum();
        }
    }

    @Test
    void importEveryCustomerAndAgreeWithTheRawFile() throws Exception {
        Path file = DatasetImportSupport.dataset(DATASET);

        long t0 = System.nanoTime();
        Expected expected = expected(file);
        List<String> users = new ArrayList<>(expected.customers().keySet());
        System.out.printf("[online-retail] raw file: %d rows, %d without CustomerID, %d customers, %d messages expected (%.1f s)%n",
                expected.rows(), expected.withoutCustomer(), users.size(), expected.messages(), (System.nanoTime() - t0) / 1e9);

        Instant clockBefore = DatasetImportSupport.lifecycleClock(dataSource);
        long t1 = System.nanoTime();
        ImportService.Result first;
        try (InputStream in = DatasetImportSupport.gunzip(file)) {
            first = imports.csv(in, CsvMapping.load("online-retail"), "test", null);
        }
        System.out.printf("[online-retail] first import in %.1f s: %s%n", (System.nanoTime() - t1) / 1e9, summary(first));

        assertEquals(0, first.rejected(), () -> "nothing may be rejected; first errors: " + first.errors());
        assertEquals(expected.withoutCustomer(), first.skipped(), "rows without CustomerID are skipped and counted");
        assertEquals(expected.messages(), first.read(), "messages read = invoices with a customer + one identify per customer");
        assertEquals(expected.messages(), first.stored() + first.duplicates(), "every message stored (or already stored)");

        long t2 = System.nanoTime();
        DatasetImportSupport.awaitProjection(dataSource, users, expected.messages(), Duration.ofMinutes(3));
        System.out.printf("[online-retail] projection wait %.1f s%n", (System.nanoTime() - t2) / 1e9);

        List<String> differences = compare(expected);
        assertTrue(differences.isEmpty(), () -> differences.size() + " differences between user_profile and the raw file, e.g.:\n  "
                + String.join("\n  ", differences.subList(0, Math.min(25, differences.size()))));

        System.out.println("[online-retail] late messages of the data set's users: " + DatasetImportSupport.lateMessages(dataSource, users)
                + "; lifecycle clock before the import " + clockBefore + ", after " + DatasetImportSupport.lifecycleClock(dataSource));
        DatasetImportSupport.noteClock("online-retail", clockBefore, first.maxEventTime());
        Map<String, Long> stages = DatasetImportSupport.stageDistribution(dataSource, users);
        System.out.println("[online-retail] stage distribution of the " + users.size() + " customers: " + stages);
        assertEquals(0L, stages.getOrDefault("(none)", 0L), "every customer has a stage");
        assertEquals(users.size(), stages.values().stream().mapToLong(Long::longValue).sum(), "stage counts add up to the customers");
        JsonPath api = Api.reader().get("/v1/stages").then().statusCode(200).extract().jsonPath();
        Map<String, Integer> apiStages = api.getMap("stages", String.class, Integer.class);
        long apiTotal = api.getLong("total");
        assertEquals(apiTotal, apiStages.values().stream().mapToLong(Integer::longValue).sum(), "GET /v1/stages: stages add up to total");
        stages.forEach((stage, n) -> assertTrue(apiStages.getOrDefault(stage, 0) >= n,
                () -> "GET /v1/stages counts fewer " + stage + " users (" + apiStages.get(stage) + ") than the data set has (" + n + ")"));
        System.out.println("[online-retail] GET /v1/stages (all users of this test run): " + apiStages + " total " + apiTotal);

        // the same file again: every message is a duplicate and no read-model row changes
        Map<String, String> before = DatasetImportSupport.checksums(dataSource, users);
        long t3 = System.nanoTime();
        ImportService.Result again;
        try (InputStream in = DatasetImportSupport.gunzip(file)) {
            again = imports.csv(in, CsvMapping.load("online-retail"), "test", null);
        }
        System.out.printf("[online-retail] second import in %.1f s: %s%n", (System.nanoTime() - t3) / 1e9, summary(again));
        assertEquals(expected.messages(), again.read());
        assertEquals(0, again.stored(), "a re-run stores nothing");
        assertEquals(expected.messages(), again.duplicates(), "a re-run finds every message a duplicate");
        assertEquals(0, again.rejected());
        assertEquals(expected.withoutCustomer(), again.skipped());
        Thread.sleep(2000); // let anything the re-run might have caused reach the projection
        DatasetImportSupport.awaitProjection(dataSource, users, expected.messages(), Duration.ofSeconds(30));
        Map<String, String> after = DatasetImportSupport.checksums(dataSource, users);
        assertEquals(before, after, "the re-run changed the read model or the event log of the data set's users");
        System.out.printf("[online-retail] whole test %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static String summary(ImportService.Result r) {
        return "read=" + r.read() + " stored=" + r.stored() + " duplicates=" + r.duplicates() + " rejected=" + r.rejected()
                + " skipped=" + r.skipped() + " maxEventTime=" + r.maxEventTime() + " usersDecided=" + r.usersDecided();
    }

    /** Per customer, straight from the CSV: no mapping, no importer code. */
    private static Expected expected(Path file) throws Exception {
        Map<String, Customer> customers = new HashMap<>();
        long rows = 0;
        long withoutCustomer = 0;
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (InputStream in = DatasetImportSupport.gunzip(file);
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, format)) {
            assertEquals(List.of("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"),
                    parser.getHeaderNames(), "header of " + file);
            for (CSVRecord row : parser) {
                rows++;
                String rawCustomer = row.get("CustomerID").strip();
                if (rawCustomer.isEmpty()) {
                    withoutCustomer++;
                    continue;
                }
                // "17850.0" -> "17850"
                String id = new BigDecimal(rawCustomer).toBigIntegerExact().toString();
                Customer c = customers.computeIfAbsent(id, k -> new Customer());
                String invoice = row.get("InvoiceNo");
                BigDecimal amount = new BigDecimal(row.get("Quantity")).multiply(new BigDecimal(row.get("UnitPrice")));
                if (invoice.startsWith("C")) {
                    c.cancellations.add(invoice);
                    c.refunded = c.refunded.add(amount.abs());
                } else {
                    c.invoices.add(invoice);
                    c.revenue = c.revenue.add(amount);
                }
                c.stockCodes.add(row.get("StockCode"));
                LocalDateTime at = LocalDateTime.parse(row.get("InvoiceDate"), INVOICE_DATE);
                if (c.firstSeen == null || at.isBefore(c.firstSeen)) {
                    c.firstSeen = at;
                }
            }
        }
        assertTrue(rows > 500_000, "the data set looks truncated: " + rows + " rows");
        return new Expected(customers, rows, withoutCustomer);
    }

    /** Every customer's profile row against the raw figures; one line per differing field. */
    private List<String> compare(Expected expected) throws Exception {
        Map<String, Customer> customers = expected.customers();
        List<String> differences = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT user_id, purchases, refunds, revenue, refunded, distinct_items, first_seen, messages, stage "
                        + "FROM user_profile WHERE user_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", customers.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString("user_id");
                    seen.add(id);
                    Customer want = customers.get(id);
                    Map<String, Object[]> fields = new TreeMap<>();
                    fields.put("purchases", new Object[]{(long) want.invoices.size(), rs.getLong("purchases")});
                    fields.put("refunds", new Object[]{(long) want.cancellations.size(), rs.getLong("refunds")});
                    fields.put("distinct_items", new Object[]{(long) want.stockCodes.size(), (long) rs.getInt("distinct_items")});
                    fields.put("messages", new Object[]{want.messages(), rs.getLong("messages")});
                    Instant firstSeen = want.firstSeen.atZone(UK).toInstant();
                    OffsetDateTime storedFirst = rs.getObject("first_seen", OffsetDateTime.class);
                    fields.put("first_seen", new Object[]{firstSeen, storedFirst == null ? null : storedFirst.toInstant()});
                    for (Map.Entry<String, Object[]> f : fields.entrySet()) {
                        if (!java.util.Objects.equals(f.getValue()[0], f.getValue()[1])) {
                            differences.add("customer " + id + " " + f.getKey() + ": raw file " + f.getValue()[0] + ", user_profile " + f.getValue()[1]);
                        }
                    }
                    BigDecimal revenue = rs.getBigDecimal("revenue");
                    if (revenue == null || revenue.compareTo(want.revenue) != 0) {
                        differences.add("customer " + id + " revenue: raw file " + want.revenue + ", user_profile " + revenue);
                    }
                    BigDecimal refunded = rs.getBigDecimal("refunded");
                    if (refunded == null || refunded.compareTo(want.refunded) != 0) {
                        differences.add("customer " + id + " refunded: raw file " + want.refunded + ", user_profile " + refunded);
                    }
                    if (rs.getString("stage") == null) {
                        differences.add("customer " + id + " has no stage");
                    }
                }
            }
        }
        customers.keySet().stream().filter(id -> !seen.contains(id)).sorted().limit(25)
                .forEach(id -> differences.add("customer " + id + " has no user_profile row"));
        return differences;
    }
}
