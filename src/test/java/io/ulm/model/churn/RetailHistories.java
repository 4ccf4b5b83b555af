package io.ulm.model.churn;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The Online Retail file as user histories, read directly (no ULM import): one invoice = one activity at its first
 * row's InvoiceDate (UK local time), revenue Σ Quantity × UnitPrice; an InvoiceNo starting with C is a refund, any
 * other a purchase; rows without CustomerID are skipped; acquiredAt = her first invoice.
 */
final class RetailHistories {

    private static final ZoneId UK = ZoneId.of("Europe/London");
    /** The shared copy writes ISO-like dates; the UCI original writes e.g. 12/1/2010 8:26. */
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter UCI = DateTimeFormatter.ofPattern("M/d/yyyy H:mm");

    private RetailHistories() {
    }

    private static final class Invoice {
        String customer;
        Instant at;
        boolean refund;
        BigDecimal revenue = BigDecimal.ZERO;
    }

    static List<UserHistory> load(Path file) throws IOException {
        Map<String, Invoice> invoices = new LinkedHashMap<>();
        try (Reader reader = new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8)) {
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                String customer = row.get("CustomerID").strip();
                if (customer.isEmpty()) {
                    continue;
                }
                String number = row.get("InvoiceNo").strip();
                Invoice invoice = invoices.computeIfAbsent(number, n -> new Invoice());
                if (invoice.customer == null) {
                    invoice.customer = customer.endsWith(".0") ? customer.substring(0, customer.length() - 2) : customer;
                    invoice.at = parse(row.get("InvoiceDate").strip());
                    invoice.refund = number.startsWith("C");
                }
                invoice.revenue = invoice.revenue.add(new BigDecimal(row.get("Quantity").strip())
                        .multiply(new BigDecimal(row.get("UnitPrice").strip())));
            }
        }
        return histories(invoices.values());
    }

    private static List<UserHistory> histories(Iterable<Invoice> invoices) {
        Map<String, List<Activity>> byCustomer = new LinkedHashMap<>();
        for (Invoice i : invoices) {
            byCustomer.computeIfAbsent(i.customer, c -> new ArrayList<>())
                    .add(i.refund ? Activity.refund(i.at, i.revenue) : Activity.purchase(i.at, i.revenue));
        }
        List<UserHistory> histories = new ArrayList<>();
        byCustomer.forEach((customer, activities) -> histories.add(new UserHistory(customer,
                activities.stream().map(Activity::at).min(Instant::compareTo).orElseThrow(), activities)));
        return histories;
    }

    private static Instant parse(String date) {
        DateTimeFormatter format = date.contains("/") ? UCI : ISO;
        return LocalDateTime.parse(date, format).atZone(UK).toInstant();
    }
}
