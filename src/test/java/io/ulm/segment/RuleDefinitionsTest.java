package io.ulm.segment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rule segment files: the shipped ones load; every documented mistake fails with the documented
 * {@code file:line:column: problem} message (docs/segments.md, "Errors"); conditions compile to parameterised SQL.
 */
class RuleDefinitionsTest {

    private static final Set<String> PERSONAL = Set.of("email", "name", "phone");
    private static final String F = "projections/segments/bad.yaml";

    @Test
    void theShippedDefinitionsLoad() {
        List<RuleDefinition> defs = RuleDefinitions.parse(RuleDefinitions.read("projections/segments"), PERSONAL);
        assertThat(defs).extracting(RuleDefinition::segmentId).containsExactly("rule:big-spenders-uk", "rule:drama-fans",
                "rule:frequent-returners", "rule:recent-repeat-buyers", "rule:slipping-regulars");
        assertThat(defs).allSatisfy(d -> {
            assertThat(d.file()).startsWith("projections/segments/").endsWith(".yaml");
            assertThat(d.version()).matches("sha256:[0-9a-f]{12}");
            assertThat(d.name()).isNotBlank();
        });
        assertThat(defs.get(1).interestLocations()).containsExactly("projections/segments/drama-fans.yaml:8");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("YAML syntax", """
                        id: x
                        name: [unclosed
                        when: {stage: LOYAL}
                        """, F + ":3:5: YAML syntax error: while parsing a flow sequence; expected ',' or ']'"),
                Arguments.of("duplicate key", """
                        id: x
                        name: X
                        name: Y
                        when: {stage: LOYAL}
                        """, F + ":3:5: YAML syntax error: Duplicate field 'name'"),
                Arguments.of("empty file", "", F + ":1:1: the file is empty"),
                Arguments.of("missing when", """
                        id: x
                        name: X
                        """, F + ":1:1: missing key 'when' (the segment's condition)"),
                Arguments.of("unknown top-level key", """
                        id: x
                        name: X
                        wen: {stage: LOYAL}
                        """, F + ":3:6: unknown key 'wen' (expected id, name, description, when)"),
                Arguments.of("bad id", """
                        id: Big Spenders
                        name: X
                        when: {stage: LOYAL}
                        """, F + ":1:5: id 'Big Spenders' must be lower-case letters, digits and '-' (at most 63, starting with a letter or digit)"),
                Arguments.of("no subject", """
                        id: x
                        name: X
                        when:
                          gte: 3
                        """, F + ":4:3: a condition needs exactly one of all, any, not, profile, trait, stage, events, interest; found none"),
                Arguments.of("two subjects", """
                        id: x
                        name: X
                        when:
                          profile: revenue
                          stage: LOYAL
                          gte: 3
                        """, F + ":4:3: a condition needs exactly one of all, any, not, profile, trait, stage, events, interest; found profile and stage"),
                Arguments.of("unknown operator", """
                        id: x
                        name: X
                        when:
                          all:
                            - trait: country
                              eq: United Kingdom
                            - profile: revenue
                              greaterThan: 1000
                        """, F + ":8:20: unknown operator 'greaterThan' (expected one of eq, ne, gt, gte, lt, lte, between, in, notIn)"),
                Arguments.of("two operators", """
                        id: x
                        name: X
                        when:
                          profile: revenue
                          gte: 10
                          lte: 20
                        """, F + ":6:8: one operator per condition: found 'gte' and 'lte' (combine conditions with all:)"),
                Arguments.of("missing operator", """
                        id: x
                        name: X
                        when:
                          profile: revenue
                        """, F + ":4:3: missing operator (one of eq, ne, gt, gte, lt, lte, between, in, notIn, exists)"),
                Arguments.of("unknown profile field", """
                        id: x
                        name: X
                        when:
                          profile: revenu
                          gte: 10
                        """, F + ":4:12: unknown profile field 'revenu' (known: messages, activities, purchases, refunds, revenue, "
                        + "refunded, lateMessages, distinctItems, netRevenue, tenureDays, daysSinceLastActivity)"),
                Arguments.of("not a number", """
                        id: x
                        name: X
                        when:
                          profile: revenue
                          gte: lots
                        """, F + ":5:8: 'gte' needs a number, not \"lots\""),
                Arguments.of("bad between", """
                        id: x
                        name: X
                        when:
                          trait: age
                          between: [65, 18]
                        """, F + ":5:12: 'between' needs two numbers [low, high] with low <= high, not [65,18]"),
                Arguments.of("unknown stage", """
                        id: x
                        name: X
                        when:
                          stage: [LOYAL, VIP]
                        """, F + ":4:18: unknown stage \"VIP\" (stages: [ACQUIRED, ACTIVATED, ENGAGED, MONETIZED, LOYAL, AT_RISK, CHURNED, REACTIVATED])"),
                Arguments.of("window not in days", """
                        id: x
                        name: X
                        when:
                          events: purchases
                          within: P1M
                          gte: 2
                        """, F + ":5:11: 'within' must be a whole number of days as ISO-8601, e.g. P30D, not \"P1M\""),
                Arguments.of("missing window", """
                        id: x
                        name: X
                        when:
                          events: purchases
                          gte: 2
                        """, F + ":4:3: an events condition needs 'within' (the window before the watermark, e.g. P30D)"),
                Arguments.of("unknown measure", """
                        id: x
                        name: X
                        when:
                          events: pageviews
                          within: P7D
                          gte: 2
                        """, F + ":4:11: unknown measure 'pageviews' (known: activities, purchases, refunds, activeDays, revenue, refunded, netRevenue)"),
                Arguments.of("personal trait", """
                        id: x
                        name: X
                        when:
                          trait: email
                          exists: true
                        """, F + ":4:10: trait 'email' is personal data (ulm.privacy.personal-traits): segments use non-personal traits only"),
                Arguments.of("exists is for traits", """
                        id: x
                        name: X
                        when:
                          profile: revenue
                          exists: true
                        """, F + ":5:11: unknown operator 'exists' (expected one of eq, ne, gt, gte, lt, lte, between, in, notIn)"),
                Arguments.of("empty all", """
                        id: x
                        name: X
                        when:
                          all: []
                        """, F + ":4:8: 'all' needs a non-empty list of conditions"),
                Arguments.of("not a condition", """
                        id: x
                        name: X
                        when:
                          not: LOYAL
                        """, F + ":4:8: a condition is a mapping with one of all, any, not, profile, trait, stage, events, interest"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aBadDefinitionNamesFileLineAndProblem(String name, String yaml, String message) {
        assertThatThrownBy(() -> RuleDefinitions.parse(Map.of(F, yaml), PERSONAL))
                .isInstanceOf(DefinitionException.class).message().startsWith(message);
    }

    @Test
    void theErrorCarriesItsPartsForTheProblemBody() {
        String yaml = "id: x\nname: X\nwhen:\n  profile: revenue\n  gte: lots\n";
        DefinitionException e = org.junit.jupiter.api.Assertions.assertThrows(DefinitionException.class,
                () -> RuleDefinitions.parse(Map.of(F, yaml), PERSONAL));
        assertThat(List.of(e.file(), e.line(), e.column(), e.problem())).containsExactly(F, 5, 8, "'gte' needs a number, not \"lots\"");
    }

    @Test
    void idsAreUniqueAcrossFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "id: vip\nname: A\nwhen: {stage: LOYAL}\n");
        Files.writeString(dir.resolve("b.yml"), "# the same id\nid: vip\nname: B\nwhen: {stage: LOYAL}\n");
        Files.writeString(dir.resolve("notes.txt"), "not a definition");
        Map<String, String> files = RuleDefinitions.read(dir.toString());
        assertThat(files).hasSize(2);
        assertThatThrownBy(() -> RuleDefinitions.parse(files, PERSONAL)).isInstanceOf(DefinitionException.class)
                .hasMessage(dir + "/b.yml:2:5: segment id 'vip' is already defined in " + dir + "/a.yaml");
    }

    @Test
    void conditionsCompileToParameterisedSql() {
        String yaml = """
                id: x
                name: X
                when:
                  any:
                    - trait: country
                      in: ["United Kingdom", "x'); DROP TABLE user_profile; --"]
                    - not:
                        all:
                          - profile: tenureDays
                            between: [30, 365]
                          - events: activeDays
                            within: P28D
                            gte: 4
                    - stage: LOYAL
                """;
        RuleDefinition d = RuleDefinitions.parse(Map.of(F, yaml), PERSONAL).get(0);
        RuleSql.Compiled sql = RuleSql.compile(d, "user_category_interest");
        assertThat(sql.sql()).doesNotContain("DROP").doesNotContain("United Kingdom").doesNotContain("365")
                .startsWith("SELECT p.user_id FROM user_profile p WHERE (coalesce((SELECT CASE WHEN jsonb_typeof(t.value)")
                .contains(" OR NOT ((coalesce((CAST(? AS date) - CAST(p.acquired_at AT TIME ZONE 'UTC' AS date)) BETWEEN ? AND ?, false)")
                .contains("d.day > CAST(? AS date) - ? AND d.day <= CAST(? AS date))");
        assertThat(sql.params()).hasSize(10).contains("country", 28, new BigDecimal("4"), new BigDecimal("30"), new BigDecimal("365"));
        assertThat(sql.sql().chars().filter(c -> c == '?').count()).isEqualTo(sql.params().size());
    }

    @Test
    void numericTraitValuesCompareAsNumbers() {
        RuleDefinition d = RuleDefinitions.parse(Map.of(F, "id: x\nname: X\nwhen:\n  trait: age\n  gte: 18\n"), PERSONAL).get(0);
        assertThat(RuleSql.compile(d, "t").sql()).contains("CAST(t.value #>> '{}' AS numeric) END FROM user_trait t").contains(" >= ?");
    }
}
