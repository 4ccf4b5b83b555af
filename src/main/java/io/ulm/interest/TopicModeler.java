package io.ulm.interest;

import cc.mallet.topics.ParallelTopicModel;
import cc.mallet.types.Alphabet;
import cc.mallet.types.FeatureSequence;
import cc.mallet.types.IDSorter;
import cc.mallet.types.Instance;
import cc.mallet.types.InstanceList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import java.util.logging.Level;

/**
 * LDA with MALLET's {@link ParallelTopicModel} (collapsed Gibbs sampling with SparseLDA), made reproducible:
 * one sampling thread (MALLET's multi-threaded sampler merges counts in thread timing order), documents and
 * vocabulary in sorted order, the seed set before the initial assignment, and the iterations run in fixed
 * chunks (so progress can be reported) each re-seeded with {@code seed + chunk}. Same documents and
 * parameters: same topics, same document mixtures, on any machine.
 */
public final class TopicModeler {

    /** Iterations between progress reports; part of the result's definition, so a constant. */
    static final int CHUNK = 50;

    /**
     * @param topics     K
     * @param alpha      symmetric Dirichlet prior of each topic in a document (MALLET's alphaSum = K * alpha)
     * @param beta       symmetric Dirichlet prior of each word in a topic
     * @param iterations Gibbs sweeps over the corpus
     * @param seed       the sampler's seed
     * @param topWords   words kept per topic
     * @param minDf      a word must occur in at least this many documents to enter the vocabulary
     */
    public record Params(int topics, double alpha, double beta, int iterations, int seed, int topWords, int minDf) {
        public Params {
            if (topics < 2 || topics > 500) {
                throw new IllegalArgumentException("topics must be between 2 and 500, not " + topics);
            }
            if (!(alpha > 0) || !(beta > 0)) {
                throw new IllegalArgumentException("alpha and beta must be positive");
            }
            if (iterations < 1 || iterations > 100_000) {
                throw new IllegalArgumentException("iterations must be between 1 and 100000, not " + iterations);
            }
            if (topWords < 1 || topWords > 100 || minDf < 1) {
                throw new IllegalArgumentException("topWords must be 1..100 and minDf at least 1");
            }
        }
    }

    /** A document: an id (the item) and its term counts. */
    public record Document(String id, Map<String, Integer> terms) {
    }

    public record Word(String word, double weight) {
    }

    /** A topic: its share of the corpus' tokens and its top words with p(word | topic). */
    public record Topic(int topic, double share, List<Word> words) {
    }

    /**
     * The fitted model: topics, each trained document's topic distribution (smoothed by alpha, sums to 1),
     * the vocabulary size, the tokens sampled, the model log-likelihood per token and the mean UMass
     * coherence of the topics' top words (higher is better; see {@link TopicQuality}).
     */
    public record Fit(Params params, List<Topic> topics, Map<String, double[]> documents, int vocabulary, long tokens,
                      double logLikelihoodPerToken, double coherence) {
    }

    static {
        // MALLET logs every iteration and prints top words at INFO; the fit reports its own progress
        ParallelTopicModel.logger.setLevel(Level.WARNING);
    }

    private TopicModeler() {
    }

    /** Fits LDA; {@code progress} receives the iterations done after each chunk. */
    public static Fit fit(List<Document> documents, Params p, IntConsumer progress) {
        List<Document> docs = new ArrayList<>(documents);
        docs.sort(Comparator.comparing(Document::id));
        Alphabet alphabet = vocabulary(docs, p.minDf());
        InstanceList instances = new InstanceList(alphabet, null);
        List<String> ids = new ArrayList<>();
        long tokens = 0;
        for (Document d : docs) {
            FeatureSequence sequence = new FeatureSequence(alphabet);
            new TreeMap<>(d.terms()).forEach((term, count) -> {
                int index = alphabet.lookupIndex(term, false);
                for (int i = 0; index >= 0 && i < count; i++) {
                    sequence.add(index);
                }
            });
            if (sequence.getLength() > 0) {
                instances.add(new Instance(sequence, null, d.id(), null));
                ids.add(d.id());
                tokens += sequence.getLength();
            }
        }
        if (ids.size() < 2) {
            throw new IllegalArgumentException("Too little text for a topic model: " + ids.size() + " documents with words that "
                    + "occur in at least " + p.minDf() + " documents");
        }
        ParallelTopicModel model = new ParallelTopicModel(p.topics(), p.alpha() * p.topics(), p.beta());
        model.setNumThreads(1);
        model.setRandomSeed(p.seed()); // before addInstances: the initial topic assignment is sampled there
        model.setTopicDisplay(Integer.MAX_VALUE, p.topWords());
        model.setOptimizeInterval(0);
        model.addInstances(instances);
        int done = 0;
        for (int chunk = 0; done < p.iterations(); chunk++) {
            int n = Math.min(CHUNK, p.iterations() - done);
            model.setNumIterations(n);
            model.setRandomSeed(p.seed() + chunk);
            try {
                model.estimate();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            done += n;
            if (progress != null) {
                progress.accept(done);
            }
        }
        Map<String, double[]> mixtures = new LinkedHashMap<>();
        for (int d = 0; d < ids.size(); d++) {
            mixtures.put(ids.get(d), model.getTopicProbabilities(d));
        }
        List<Topic> topics = topics(model, alphabet, p.topWords(), tokens);
        double coherence = TopicQuality.meanCoherence(topics.stream().map(t -> t.words().stream().map(Word::word).toList()).toList(),
                TopicQuality.documentSets(docs));
        return new Fit(p, topics, mixtures, alphabet.size(), tokens, model.modelLogLikelihood() / tokens, coherence);
    }

    /** Words that occur in at least minDf documents, indexed in sorted order. */
    private static Alphabet vocabulary(List<Document> docs, int minDf) {
        Map<String, Integer> df = new HashMap<>();
        for (Document d : docs) {
            d.terms().forEach((term, count) -> {
                if (count > 0) {
                    df.merge(term, 1, Integer::sum);
                }
            });
        }
        Alphabet alphabet = new Alphabet();
        df.entrySet().stream().filter(e -> e.getValue() >= minDf).map(Map.Entry::getKey).sorted()
                .forEach(alphabet::lookupIndex);
        alphabet.stopGrowth();
        return alphabet;
    }

    private static List<Topic> topics(ParallelTopicModel model, Alphabet alphabet, int topWords, long tokens) {
        List<TreeSet<IDSorter>> sorted = model.getSortedWords();
        int[] perTopic = model.getTokensPerTopic();
        double betaSum = model.beta * alphabet.size();
        List<Topic> topics = new ArrayList<>();
        for (int t = 0; t < model.getNumTopics(); t++) {
            List<Word> words = new ArrayList<>();
            Iterator<IDSorter> it = sorted.get(t).iterator();
            while (it.hasNext() && words.size() < topWords) {
                IDSorter s = it.next();
                words.add(new Word((String) alphabet.lookupObject(s.getID()), (s.getWeight() + model.beta) / (perTopic[t] + betaSum)));
            }
            topics.add(new Topic(t, tokens == 0 ? 0 : perTopic[t] / (double) tokens, List.copyOf(words)));
        }
        return List.copyOf(topics);
    }
}
