package io.ulm.analytics;

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
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Cohort retention and lifecycle of the Online Retail customers, straight from the raw CSV with plain
 * java.time: no ULM class (not even {@link Period}), no mapping, no SQL. A customer is a CustomerID;
 * acquisition = her first invoice (cancellations included), InvoiceDate read as Europe/London time;
 * activity = any invoice, cancellations included; weeks start Monday, all in UTC.
 */
final class RetailExpectations {

    private static final ZoneId UK = ZoneId.of("Europe/London");
    private static final DateTimeFormatter INVOICE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A customer's acquisition and active UTC days. */
    record Customer(Instant acquired, TreeSet<LocalDate> days) {
    }

    /** A cohort row: start, size, retained counts for k = 0, 1, … */
    record Row(LocalDate cohort, long users, List<Long> counts) {
    }

    final Map<String, Customer> customers;
    /** Customers with at least one invoice that is not a cancellation (33 of them only ever cancelled). */
    final long purchasers;

    private RetailExpectations(Map<String, Customer> customers, long purchasers) {
        this.customers = customers;
        this.purchasers = purchasers;
    }

    static RetailExpectations read(Path gz) throws Exception {
        Map<String, Instant> acquired = new HashMap<>();
        Map<String, TreeSet<LocalDate>> days = new HashMap<>();
        java.util.Set<String> purchasers = new java.util.HashSet<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16);
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, format)) {
            for (CSVRecord row : parser) {
                String raw = row.get("CustomerID").strip();
                if (raw.isEmpty()) {
                    continue;
                }
                String id = new BigDecimal(raw).toBigIntegerExact().toString();
                Instant at = LocalDateTime.parse(row.get("InvoiceDate"), INVOICE_DATE).atZone(UK).toInstant();
                acquired.merge(id, at, (a, b) -> a.isBefore(b) ? a : b);
                days.computeIfAbsent(id, k -> new TreeSet<>()).add(at.atOffset(ZoneOffset.UTC).toLocalDate());
                if (!row.get("InvoiceNo").startsWith("C")) {
                    purchasers.add(id);
                }
            }
        }
        Map<String, Customer> customers = new TreeMap<>();
        acquired.forEach((id, at) -> customers.put(id, new Customer(at, days.get(id))));
        return new RetailExpectations(customers, purchasers.size());
    }

    static LocalDate start(boolean weekly, LocalDate day) {
        return weekly ? day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)) : day.withDayOfMonth(1);
    }

    static long between(boolean weekly, LocalDate a, LocalDate b) {
        return weekly ? ChronoUnit.DAYS.between(a, b) / 7 : ChronoUnit.MONTHS.between(a, b);
    }

    static LocalDate next(boolean weekly, LocalDate p, long n) {
        return weekly ? p.plusWeeks(n) : p.plusMonths(n);
    }

    private TreeSet<LocalDate> periods(boolean weekly, Customer c) {
        TreeSet<LocalDate> periods = new TreeSet<>();
        c.days().forEach(d -> periods.add(start(weekly, d)));
        return periods;
    }

    private LocalDate cohort(boolean weekly, Customer c) {
        return start(weekly, c.acquired().atOffset(ZoneOffset.UTC).toLocalDate());
    }

    /** Every cohort from the first to the last, each with a cell per period up to the latest activity. */
    List<Row> cohorts(boolean weekly, boolean cumulative) {
        LocalDate end = start(weekly, customers.values().stream().map(c -> c.days().last()).max(LocalDate::compareTo).orElseThrow());
        Map<LocalDate, long[]> cells = new TreeMap<>();
        Map<LocalDate, Long> sizes = new TreeMap<>();
        for (Customer c : customers.values()) {
            LocalDate cohort = cohort(weekly, c);
            sizes.merge(cohort, 1L, Long::sum);
            long[] row = cells.computeIfAbsent(cohort, k -> new long[(int) between(weekly, k, end) + 1]);
            TreeSet<LocalDate> active = periods(weekly, c);
            for (int k = 0; k < row.length; k++) {
                LocalDate p = next(weekly, cohort, k);
                boolean retained = cumulative ? !active.tailSet(p, true).isEmpty() : active.contains(p);
                row[k] += retained ? 1 : 0;
            }
        }
        List<Row> rows = new ArrayList<>();
        LocalDate last = sizes.keySet().stream().max(LocalDate::compareTo).orElseThrow();
        for (LocalDate cohort = sizes.keySet().iterator().next(); !cohort.isAfter(last); cohort = next(weekly, cohort, 1)) {
            long[] row = cells.getOrDefault(cohort, new long[(int) between(weekly, cohort, end) + 1]);
            List<Long> counts = new ArrayList<>();
            for (long n : row) {
                counts.add(n);
            }
            rows.add(new Row(cohort, sizes.getOrDefault(cohort, 0L), counts));
        }
        return rows;
    }

    /** new, returning, resurrecting, dormant (negative) per period, from the first to the last active period. */
    Map<LocalDate, long[]> lifecycle(boolean weekly) {
        Map<LocalDate, long[]> series = new TreeMap<>();
        LocalDate first = null;
        LocalDate last = null;
        for (Customer c : customers.values()) {
            TreeSet<LocalDate> active = periods(weekly, c);
            first = first == null || active.first().isBefore(first) ? active.first() : first;
            last = last == null || active.last().isAfter(last) ? active.last() : last;
        }
        for (LocalDate p = first; !p.isAfter(last); p = next(weekly, p, 1)) {
            series.put(p, new long[4]);
        }
        for (Customer c : customers.values()) {
            TreeSet<LocalDate> active = periods(weekly, c);
            LocalDate cohort = cohort(weekly, c);
            for (LocalDate p : active) {
                int bucket = p.equals(cohort) ? 0 : active.contains(next(weekly, p, -1)) ? 1 : 2;
                series.get(p)[bucket]++;
                LocalDate after = next(weekly, p, 1);
                if (!active.contains(after) && !after.isAfter(last)) {
                    series.get(after)[3]--;
                }
            }
        }
        return series;
    }
}
