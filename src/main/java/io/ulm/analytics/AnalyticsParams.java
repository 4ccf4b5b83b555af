package io.ulm.analytics;

import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Query parameters of the analytics endpoints; a bad value is a 400 naming the parameter. */
final class AnalyticsParams {

    static final MediaType CSV = MediaType.valueOf("text/csv");

    private AnalyticsParams() {
    }

    static Period period(String value) {
        return switch (lower(value, "period")) {
            case "week" -> Period.WEEK;
            case "month" -> Period.MONTH;
            default -> throw invalid("period", value, "week or month");
        };
    }

    /** For transitions: a period, or null for "all" (the whole range as one period). */
    static Period periodOrAll(String value) {
        return switch (lower(value, "period")) {
            case "week" -> Period.WEEK;
            case "month" -> Period.MONTH;
            case "all" -> null;
            default -> throw invalid("period", value, "month, week or all");
        };
    }

    static CohortMatrix.Retention retention(String value) {
        return switch (lower(value, "retention")) {
            case "recurring" -> CohortMatrix.Retention.RECURRING;
            case "cumulative" -> CohortMatrix.Retention.CUMULATIVE;
            default -> throw invalid("retention", value, "recurring or cumulative");
        };
    }

    /** An ISO date (yyyy-MM-dd, a UTC day) or null. */
    static LocalDate date(String value, String parameter) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw invalid(parameter, value, "an ISO date such as 2011-01-31 (a UTC day)");
        }
    }

    /** from/to: both optional; when both are given, {@code to} must be after {@code from}. */
    static LocalDate[] range(String from, String to) {
        LocalDate start = date(from, "from");
        LocalDate end = date(to, "to");
        if (start != null && end != null && !end.isAfter(start)) {
            throw invalid("to", to, "a date after 'from' (" + from + "); 'to' is exclusive");
        }
        return new LocalDate[]{start, end};
    }

    /** CSV when {@code format=csv}, or when the client prefers text/csv over JSON in Accept; JSON otherwise. */
    static boolean csv(String format, HttpHeaders headers) {
        if (format != null && !format.isBlank()) {
            return switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw invalid("format", format, "json or csv");
            };
        }
        for (MediaType accepted : headers.getAcceptableMediaTypes()) { // sorted by preference (q)
            if (accepted.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !accepted.isWildcardType()) {
                return false;
            }
            if (accepted.isCompatible(CSV) && !accepted.isWildcardType()) {
                return true;
            }
        }
        return false;
    }

    private static String lower(String value, String parameter) {
        if (value == null || value.isBlank()) {
            throw invalid(parameter, value, "a value");
        }
        return value.strip().toLowerCase(Locale.ROOT);
    }

    private static ProblemException invalid(String parameter, String value, String expected) {
        return new ProblemException(Problem.of(400, "invalid-parameter", "Invalid query parameter",
                "query parameter '" + parameter + "' is '" + value + "'; expected " + expected).with("parameter", parameter));
    }
}
