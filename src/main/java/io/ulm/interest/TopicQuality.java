package io.ulm.interest;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * UMass topic coherence (Mimno et al., "Optimizing semantic coherence in topic models", EMNLP 2011): for a
 * topic's top words w1..wM in rank order,
 * <pre>  C = sum over m = 2..M, l < m of ln((D(wm, wl) + 1) / D(wl))</pre>
 * where D(w) counts the documents containing w and D(w, v) those containing both. Words that really belong
 * together co-occur in the same items, so C is closer to 0; a random set of frequent words scores far below.
 * It tracks human judgements of topic quality and needs no held-out data, which is why the fit stores it
 * and the tests compare it with a baseline.
 */
public final class TopicQuality {

    /** Top words per topic that coherence looks at (the usual 10). */
    public static final int WORDS = 10;

    private TopicQuality() {
    }

    /** Each document as its set of terms. */
    public static List<Set<String>> documentSets(List<TopicModeler.Document> docs) {
        return docs.stream().map(d -> d.terms().keySet()).toList();
    }

    /** UMass coherence of one topic's words against these documents. */
    public static double coherence(List<String> words, List<Set<String>> documents) {
        return coherence(words, occurrences(List.of(words), documents));
    }

    /** The mean coherence of the topics (each limited to its first {@link #WORDS} words). */
    public static double meanCoherence(List<List<String>> topics, List<Set<String>> documents) {
        if (topics.isEmpty()) {
            return 0;
        }
        Map<String, BitSet> seen = occurrences(topics, documents);
        double sum = 0;
        for (List<String> words : topics) {
            sum += coherence(words, seen);
        }
        return sum / topics.size();
    }

    private static double coherence(List<String> words, Map<String, BitSet> seen) {
        List<String> top = words.subList(0, Math.min(WORDS, words.size()));
        double c = 0;
        for (int m = 1; m < top.size(); m++) {
            BitSet wm = seen.getOrDefault(top.get(m), new BitSet());
            for (int l = 0; l < m; l++) {
                BitSet wl = seen.getOrDefault(top.get(l), new BitSet());
                BitSet both = (BitSet) wm.clone();
                both.and(wl);
                c += Math.log((both.cardinality() + 1.0) / Math.max(1, wl.cardinality()));
            }
        }
        return c;
    }

    /** For every word of these topics, the documents it occurs in. */
    private static Map<String, BitSet> occurrences(List<List<String>> topics, List<Set<String>> documents) {
        Map<String, BitSet> seen = new HashMap<>();
        for (List<String> words : topics) {
            for (String w : words.subList(0, Math.min(WORDS, words.size()))) {
                seen.putIfAbsent(w, new BitSet());
            }
        }
        for (int d = 0; d < documents.size(); d++) {
            for (String term : documents.get(d)) {
                BitSet b = seen.get(term);
                if (b != null) {
                    b.set(d);
                }
            }
        }
        return seen;
    }
}
