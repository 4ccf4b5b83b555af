package io.ulm.interest;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The small analyzer behind every text interest (docs/interests.md): NFKD + accents stripped, lower case,
 * runs of Unicode letters/digits (an apostrophe inside a word is dropped: "children's" is one word),
 * tokens shorter than the minimum, numbers and stop words removed, simple English plurals folded.
 * Pure and deterministic: the same text gives the same terms on every node and in every replay, which is
 * what makes the projection built on it rebuildable. Deliberately no stemming library: a full stemmer
 * turns display words into stems ("stori"), and the keywords are shown to people.
 */
public final class TextAnalyzer {

    /** English function words, contractions written without the apostrophe, and the articles of the
     * European titles common in catalogues (MovieLens: "Amélie (Fabuleux destin d'Amélie Poulain, Le)"). */
    static final Set<String> STOP_WORDS = Set.of(
            "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
            "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "cannot", "could",
            "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have",
            "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is",
            "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on",
            "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so",
            "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they",
            "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when",
            "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself",
            "yourselves", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "cant", "couldnt", "wont", "wouldnt",
            "shouldnt", "im", "ive", "youre", "youve", "hes", "shes", "thats", "theres", "lets", "aka",
            "le", "la", "les", "el", "los", "las", "der", "das", "des", "du", "de", "del", "di", "il", "un", "une", "et");

    /** Words ending in s that are not plurals, or whose folding would mislead a reader. */
    private static final Set<String> NOT_PLURAL = Set.of("christmas", "series", "species", "news", "always", "perhaps",
            "chaos", "canvas", "atlas", "bias", "gas", "lens", "cosmos", "texas", "paris", "yes", "pants", "jeans",
            "scissors", "thanks", "whereas", "aids", "mathematics", "physics", "politics", "economics");

    /** Nouns ending in -ie, whose plural "-ies" must not become "-y" (movies, not "movy"). */
    private static final Set<String> IE_NOUNS = Set.of("movie", "cookie", "zombie", "rookie", "brownie", "hippie", "selfie",
            "goalie", "pixie", "pie", "tie", "lie", "calorie", "genie", "prairie", "collie", "beanie", "hoodie", "smoothie",
            "veggie", "auntie", "cutie", "sweetie", "birdie", "boogie", "necktie", "bookie", "freebie", "groupie", "junkie",
            "newbie", "yuppie", "valkyrie", "indie", "barbie", "bogie", "lingerie", "magpie", "pinkie", "techie");

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern APOSTROPHE = Pattern.compile("(?<=[\\p{L}\\p{N}])['\u2019](?=[\\p{L}\\p{N}])");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern DIGITS = Pattern.compile("\\p{N}+");

    private static final String VERSION = "v1";

    private final int minLength;
    private final Set<String> stopWords;
    private final String description;

    /** The defaults: words of two or more characters, the built-in stop words. */
    public static TextAnalyzer standard() {
        return new TextAnalyzer(2, List.of());
    }

    /** The analyzer the settings describe (ulm.interests.min-term-length, ulm.interests.stop-words). */
    public static TextAnalyzer of(InterestConfig config) {
        return new TextAnalyzer(config.minTermLength(), config.stopWords().orElse(List.of()));
    }

    public TextAnalyzer(int minLength, Collection<String> extraStopWords) {
        if (minLength < 1) {
            throw new IllegalArgumentException("minimum term length must be at least 1, not " + minLength);
        }
        this.minLength = minLength;
        Set<String> words = new HashSet<>(STOP_WORDS);
        // extra stop words go through the same normalisation, so "T-LIGHT" in the config matches "t-light" in text
        for (String extra : extraStopWords) {
            words.addAll(split(extra));
        }
        this.stopWords = Set.copyOf(words);
        this.description = VERSION + " min=" + minLength + " stop=" + new java.util.TreeSet<>(words).hashCode();
    }

    /**
     * Identifies the analyzer's behaviour: terms made by analyzers with different descriptions do not match,
     * so the item terms are re-analysed when it changes. Bump {@link #VERSION} with any change of the rules.
     */
    public String description() {
        return description;
    }

    /** The terms of a text, in order of appearance. */
    public List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        for (String token : split(text)) {
            if (token.length() < minLength || DIGITS.matcher(token).matches() || stopWords.contains(token)) {
                continue;
            }
            String term = foldPlural(token);
            if (term.length() >= minLength && !stopWords.contains(term)) {
                terms.add(term);
            }
        }
        return terms;
    }

    /** Term counts of a text, sorted by term (a stable iteration order for writers and tests). */
    public Map<String, Integer> counts(String text) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String term : terms(text)) {
            counts.merge(term, 1, Integer::sum);
        }
        return counts;
    }

    /** Lower-cased, accent-free runs of letters and digits; nothing dropped yet. */
    static List<String> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String plain = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("");
        plain = APOSTROPHE.matcher(plain.toLowerCase(Locale.ROOT)).replaceAll("");
        List<String> tokens = new ArrayList<>();
        for (String token : NON_WORD.split(plain)) {
            if (!token.isEmpty()) {
                tokens.add(token);
            }
        }
        return tokens;
    }

    /**
     * English plurals to singular, after Harman's S-stemmer (1991) with two refinements: sibilant plurals
     * lose "es" (boxes, glasses, matches, dishes), nouns in -ie keep it (movies, cookies), and a short list
     * of words is left alone (christmas, series). Words of three letters or fewer, and words ending in ss, us, is or "'s" already removed,
     * are kept. Only plurals: "running" stays "running".
     */
    static String foldPlural(String word) {
        int n = word.length();
        if (n <= 3 || !word.endsWith("s") || NOT_PLURAL.contains(word)) {
            return word;
        }
        if (IE_NOUNS.contains(word.substring(0, n - 1))) {
            return word.substring(0, n - 1);
        }
        if (word.endsWith("ies") && !word.endsWith("eies") && !word.endsWith("aies")) {
            return word.substring(0, n - 3) + "y";
        }
        if (word.endsWith("sses") || word.endsWith("xes") || word.endsWith("ches") || word.endsWith("shes")
                || word.endsWith("zzes")) {
            return word.substring(0, n - 2);
        }
        if (word.endsWith("ss") || word.endsWith("us") || word.endsWith("is")) {
            return word;
        }
        return word.substring(0, n - 1);
    }
}
