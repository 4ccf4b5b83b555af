package io.ulm.segment;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a rule segment's condition into one SQL query over {@code user_profile} that returns its members at
 * the watermark. Only fixed fragments of this class become SQL text: field, measure and table names come from
 * whitelists (checked when the file was parsed), and every value from a definition is a bound parameter.
 *
 * <p>A leaf on a missing value (no such trait, never active) is false, and {@code not:} of it is true: each
 * leaf is wrapped in {@code coalesce(..., false)} so that SQL's three-valued logic never leaks into a segment.
 */
final class RuleSql {

    /** Marks where the watermark's UTC day is bound. */
    private static final Object WATERMARK_DAY = new Object();

    /** Profile fields a rule may compare (docs/segments.md); {W} is the watermark's UTC day. */
    static final Map<String, String> PROFILE_FIELDS = new LinkedHashMap<>();
    /** What an events condition may count or sum over the activity days of its window. */
    static final Map<String, String> MEASURES = new LinkedHashMap<>();

    static {
        for (String column : List.of("messages", "activities", "purchases", "refunds", "revenue", "refunded")) {
            PROFILE_FIELDS.put(column, "p." + column);
        }
        PROFILE_FIELDS.put("lateMessages", "p.late_messages");
        PROFILE_FIELDS.put("distinctItems", "p.distinct_items");
        PROFILE_FIELDS.put("netRevenue", "(p.revenue - p.refunded)");
        PROFILE_FIELDS.put("tenureDays", "({W} - CAST(p.acquired_at AT TIME ZONE 'UTC' AS date))");
        PROFILE_FIELDS.put("daysSinceLastActivity", "({W} - CAST(p.last_activity_at AT TIME ZONE 'UTC' AS date))");
        MEASURES.put("activities", "coalesce(sum(d.activities), 0)");
        MEASURES.put("purchases", "coalesce(sum(d.purchases), 0)");
        MEASURES.put("refunds", "coalesce(sum(d.refunds), 0)");
        MEASURES.put("activeDays", "count(*) FILTER (WHERE d.activities > 0)");
        MEASURES.put("revenue", "coalesce(sum(d.revenue), 0)");
        MEASURES.put("refunded", "coalesce(sum(d.refunded), 0)");
        MEASURES.put("netRevenue", "coalesce(sum(d.revenue - d.refunded), 0)");
    }

    private static final String TRAIT_TEXT = "(SELECT CASE WHEN jsonb_typeof(t.value) IN ('string', 'number', 'boolean') "
            + "THEN t.value #>> '{}' END FROM user_trait t WHERE t.user_id = p.user_id AND t.trait = ?)";
    /** A number, or a text that reads as one (an age sent as "34"); anything else (objects: encrypted values) is no value. */
    private static final String TRAIT_NUMBER = "(SELECT CASE WHEN jsonb_typeof(t.value) = 'number' OR (jsonb_typeof(t.value) = 'string' "
            + "AND t.value #>> '{}' ~ '^-{0,1}[0-9]+([.][0-9]+){0,1}$') THEN CAST(t.value #>> '{}' AS numeric) END "
            + "FROM user_trait t WHERE t.user_id = p.user_id AND t.trait = ?)";

    /** A list bound as a PostgreSQL array. */
    private record ArrayParam(String type, Object[] values) {
    }

    /** The query and its parameters, in order. */
    record Compiled(String sql, List<Object> params) {
        /** The members at the watermark's UTC day. */
        List<String> members(Connection c, LocalDate watermarkDay) throws SQLException {
            List<String> users = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) {
                    Object p = params.get(i);
                    if (p == WATERMARK_DAY) {
                        ps.setObject(i + 1, watermarkDay);
                    } else if (p instanceof ArrayParam a) {
                        ps.setArray(i + 1, c.createArrayOf(a.type(), a.values()));
                    } else {
                        ps.setObject(i + 1, p);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        users.add(rs.getString(1));
                    }
                }
            }
            return users;
        }
    }

    private final String interestTable;
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    private RuleSql(String interestTable) {
        this.interestTable = interestTable;
    }

    /** {@code interestTable}: a checked identifier of the features projection's table (needed only by interest conditions). */
    static Compiled compile(RuleDefinition definition, String interestTable) {
        RuleSql c = new RuleSql(interestTable);
        c.sql.append("SELECT p.user_id FROM user_profile p WHERE ");
        c.condition(definition.when());
        c.sql.append(" ORDER BY p.user_id COLLATE \"C\"");
        return new Compiled(c.sql.toString(), List.copyOf(c.params));
    }

    private void condition(Condition condition) {
        if (condition instanceof Condition.All a) {
            group(a.conditions(), " AND ");
        } else if (condition instanceof Condition.Any a) {
            group(a.conditions(), " OR ");
        } else if (condition instanceof Condition.Not n) {
            sql.append("NOT (");
            condition(n.condition());
            sql.append(')');
        } else if (condition instanceof Condition.StageIn s) {
            sql.append("coalesce(p.stage = ANY(?), false)");
            params.add(new ArrayParam("text", s.stages().toArray()));
        } else if (condition instanceof Condition.ProfileField f) {
            compare(PROFILE_FIELDS.get(f.field()), List.of(), f.comparison(), true);
        } else if (condition instanceof Condition.EventCount e) {
            compare("(SELECT " + MEASURES.get(e.measure()) + " FROM analytics_activity_day d "
                    + "WHERE d.user_id = p.user_id AND d.day > {W} - ? AND d.day <= {W})", List.of(e.days()), e.comparison(), true);
        } else if (condition instanceof Condition.Interest i) {
            compare("(SELECT max(i.weight) FROM " + interestTable + " i WHERE i.user_id = p.user_id AND i.category = ?)",
                    List.of(i.category()), i.comparison(), true);
        } else {
            trait((Condition.Trait) condition);
        }
    }

    private void group(List<Condition> conditions, String op) {
        sql.append('(');
        for (int i = 0; i < conditions.size(); i++) {
            sql.append(i == 0 ? "" : op);
            condition(conditions.get(i));
        }
        sql.append(')');
    }

    private void trait(Condition.Trait t) {
        Condition.Comparison c = t.comparison();
        if (c.operator() == Condition.Operator.EXISTS) {
            sql.append((Boolean) c.value() ? "" : "NOT ").append("EXISTS (SELECT 1 FROM user_trait t WHERE t.user_id = p.user_id "
                    + "AND t.trait = ? AND jsonb_typeof(t.value) <> 'null')");
            params.add(t.trait());
            return;
        }
        boolean numeric = c.numeric();
        compare(numeric ? TRAIT_NUMBER : TRAIT_TEXT, List.of(t.trait()), c, numeric);
    }

    /** {@code expression} (with its own parameters, in order) compared as the comparison says. */
    private void compare(String expression, List<Object> expressionParams, Condition.Comparison c, boolean numeric) {
        Condition.Operator o = c.operator();
        boolean negated = o == Condition.Operator.NE || o == Condition.Operator.NOT_IN;
        sql.append(negated ? "NOT coalesce(" : "coalesce(");
        expression(expression, expressionParams);
        switch (o) {
            case EQ, NE -> sql.append(" = ?");
            case GT -> sql.append(" > ?");
            case GTE -> sql.append(" >= ?");
            case LT -> sql.append(" < ?");
            case LTE -> sql.append(" <= ?");
            case BETWEEN -> sql.append(" BETWEEN ? AND ?");
            case IN, NOT_IN -> sql.append(" = ANY(?)");
            default -> throw new IllegalStateException("operator " + o + " on " + expression);
        }
        sql.append(", false)");
        if (o == Condition.Operator.IN || o == Condition.Operator.NOT_IN) {
            params.add(numeric ? new ArrayParam("numeric", c.values().toArray())
                    : new ArrayParam("text", c.values().stream().map(v -> v instanceof BigDecimal b ? b.toPlainString() : v).toArray()));
        } else {
            c.values().forEach(v -> params.add(numeric || !(v instanceof BigDecimal b) ? v : b.toPlainString()));
        }
    }

    /** Appends an expression template, binding {W} to the watermark day and each ? to the next given parameter. */
    private void expression(String template, List<Object> expressionParams) {
        int next = 0;
        for (int i = 0; i < template.length(); i++) {
            if (template.startsWith("{W}", i)) {
                sql.append("CAST(? AS date)");
                params.add(WATERMARK_DAY);
                i += 2;
            } else {
                char ch = template.charAt(i);
                if (ch == '?') {
                    params.add(expressionParams.get(next++));
                }
                sql.append(ch);
            }
        }
    }
}
