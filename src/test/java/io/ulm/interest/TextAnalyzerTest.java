package io.ulm.interest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextAnalyzerTest {

    private final TextAnalyzer analyzer = TextAnalyzer.standard();

    @Test
    void lowerCasesAndSplitsOnAnythingButLettersAndDigits() {
        assertThat(analyzer.terms("Sci-Fi/ACTION; Toy-Story!")).containsExactly("sci", "fi", "action", "toy", "story");
    }

    @Test
    void dropsStopWordsShortTokensAndNumbers() {
        // "the", "of", "a" are stop words, "x" is too short, 1995 and 3 are numbers; "3d" and "ww2" are words
        assertThat(analyzer.terms("The Lord of the Rings: a X 1995 3 3D WW2")).containsExactly("lord", "ring", "3d", "ww2");
    }

    @Test
    void stripsAccentsAndFoldsCompatibilityCharacters() {
        assertThat(analyzer.terms("Amélie — Fabuleux destin d’Amélie Poulain")).containsExactly("amelie", "fabuleux", "destin", "damelie", "poulain");
        assertThat(analyzer.terms("ＤＩＳＮＥＹ ﬁlm Ångström")).containsExactly("disney", "film", "angstrom");
    }

    @Test
    void keepsWordsWithAnApostropheTogether() {
        assertThat(analyzer.terms("Children's Don't Schindler’s")).containsExactly("children", "schindler");
    }

    @Test
    void keepsLettersOfAnyScript() {
        assertThat(analyzer.terms("千と千尋の神隠し Москва слезам не верит")).containsExactly("千と千尋の神隠し", "москва", "слезам", "не", "верит");
    }

    @Test
    void foldsEnglishPlurals() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("movies", "movie"), Map.entry("stories", "story"), Map.entry("toys", "toy"), Map.entry("wars", "war"),
                Map.entry("boxes", "box"), Map.entry("glasses", "glass"), Map.entry("matches", "match"), Map.entry("dishes", "dish"),
                Map.entry("candles", "candle"), Map.entry("holders", "holder"), Map.entry("series", "series"),
                Map.entry("christmas", "christmas"), Map.entry("glass", "glass"), Map.entry("virus", "virus"),
                Map.entry("analysis", "analysis"), Map.entry("bus", "bus"), Map.entry("running", "running"),
                Map.entry("zombies", "zombie"), Map.entry("heroes", "heroe"));
        cases.forEach((word, folded) -> assertThat(TextAnalyzer.foldPlural(word)).as(word).isEqualTo(folded));
        // singular and plural meet in one term
        assertThat(analyzer.terms("candle CANDLES")).containsExactly("candle", "candle");
    }

    @Test
    void countsTermsInSortedOrder() {
        assertThat(analyzer.counts("Toy Story 2 (1999): toys, more toys")).containsExactly(
                Map.entry("story", 1), Map.entry("toy", 3));
        assertThat(analyzer.counts(null)).isEmpty();
        assertThat(analyzer.counts("  ")).isEmpty();
    }

    @Test
    void takesExtraStopWordsAndAMinimumLength() {
        TextAnalyzer retail = new TextAnalyzer(3, List.of("SET", "Pack"));
        assertThat(retail.terms("SET OF 6 T-LIGHT HOLDERS, pack of 12 tea lights")).containsExactly("light", "holder", "tea", "light");
        assertThat(retail.description()).isNotEqualTo(analyzer.description());
        assertThat(TextAnalyzer.standard().description()).isEqualTo(analyzer.description());
        assertThatThrownBy(() -> new TextAnalyzer(0, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMovieLensTitleAndTags() {
        assertThat(analyzer.terms("Shawshank Redemption, The (1994)")).containsExactly("shawshank", "redemption");
        assertThat(analyzer.terms("In Netflix queue")).containsExactly("netflix", "queue");
        assertThat(analyzer.terms("thought-provoking")).containsExactly("thought", "provoking");
    }
}
