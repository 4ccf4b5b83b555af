package io.ulm.segment;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * RFM of the Online Retail customers straight from the raw CSV, with no ULM class: an order is an invoice
 * (InvoiceNo; a 'C' prefix is a cancellation), its time the InvoiceDate of its first row (UK local time), its
 * amount the sum of Quantity × UnitPrice. R = days from the UTC day of the last order to the reference day;
 * F = orders; M = order amounts minus cancelled amounts. Scores: the customers sorted (R: oldest first, F and M
 * ascending; ties by customer id) and dealt into five buckets of equal size, the first n mod 5 one larger.
 * Segments by the R × F grid written out here again (docs/segments.md).
 */
final class RetailRfm {

    private static final ZoneId UK = ZoneId.of("Europe/London");
    private static final DateTimeFormatter INVOICE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    record Expected(String customer, long recencyDays, long frequency, BigDecimal monetary, int r, int f, int m, String segment) {
    }

    private static final class Invoice {
        String customer;
        LocalDateTime time;
        BigDecimal amount = BigDecimal.ZERO;
        boolean cancellation;
    }

    private RetailRfm() {
    }

    static Map<String, Expected> compute(Path gz, LocalDate reference) throws Exception {
        Map<String, Invoice> invoices = new LinkedHashMap<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16);
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, format)) {
            for (CSVRecord row : parser) {
                String raw = row.get("CustomerID").strip();
                if (raw.isEmpty()) {
                    continue;
                }
                String number = row.get("InvoiceNo").strip();
                Invoice invoice = invoices.computeIfAbsent(number, n -> new Invoice());
                if (invoice.customer == null) {
                    invoice.customer = new BigDecimal(raw).toBigIntegerExact().toString();
                    invoice.time = LocalDateTime.parse(row.get("InvoiceDate").strip(), INVOICE_DATE);
                    invoice.cancellation = number.startsWith("C");
                }
                invoice.amount = invoice.amount.add(new BigDecimal(row.get("Quantity").strip()).multiply(new BigDecimal(row.get("UnitPrice").strip())));
            }
        }
        Map<String, LocalDate> last = new HashMap<>();
        Map<String, Long> orders = new HashMap<>();
        Map<String, BigDecimal> money = new HashMap<>();
        for (Invoice i : invoices.values()) {
            if (i.cancellation) {
                money.merge(i.customer, i.amount.abs().negate(), BigDecimal::add);
                continue;
            }
            LocalDate day = i.time.atZone(UK).withZoneSameInstant(ZoneOffset.UTC).toLocalDate();
            last.merge(i.customer, day, (a, b) -> a.isAfter(b) ? a : b);
            orders.merge(i.customer, 1L, Long::sum);
            money.merge(i.customer, i.amount, BigDecimal::add);
        }
        List<String> buyers = new ArrayList<>(orders.keySet());
        Map<String, Long> recency = new HashMap<>();
        buyers.forEach(b -> recency.put(b, ChronoUnit.DAYS.between(last.get(b), reference)));
        Map<String, Integer> r = quintiles(buyers, Comparator.comparing((String b) -> -recency.get(b)));
        Map<String, Integer> f = quintiles(buyers, Comparator.comparing(orders::get));
        Map<String, Integer> m = quintiles(buyers, Comparator.comparing(money::get));
        Map<String, Expected> out = new TreeMap<>();
        for (String b : buyers) {
            out.put(b, new Expected(b, recency.get(b), orders.get(b), money.get(b), r.get(b), f.get(b), m.get(b), segment(r.get(b), f.get(b))));
        }
        return out;
    }

    /** Sorted by the key then the id, dealt into 5 buckets: sizes n/5, the first n%5 buckets one more. */
    private static Map<String, Integer> quintiles(List<String> ids, Comparator<String> key) {
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(key.thenComparing(Function.identity()));
        int n = sorted.size();
        Map<String, Integer> score = new HashMap<>();
        int index = 0;
        for (int bucket = 1; bucket <= 5; bucket++) {
            int size = n / 5 + (bucket <= n % 5 ? 1 : 0);
            for (int i = 0; i < size; i++) {
                score.put(sorted.get(index++), bucket);
            }
        }
        return score;
    }

    private static String segment(int r, int f) {
        String[][] grid = { // rows R = 1..5, columns F = 1..5
                {"lost", "lost", "at-risk", "at-risk", "cant-lose"},
                {"hibernating", "hibernating", "at-risk", "at-risk", "cant-lose"},
                {"about-to-sleep", "about-to-sleep", "need-attention", "loyal", "loyal"},
                {"promising", "potential-loyalist", "potential-loyalist", "loyal", "loyal"},
                {"new", "potential-loyalist", "potential-loyalist", "champions", "champions"}};
        return "rfm:" + grid[r - 1][f - 1];
    }
}
