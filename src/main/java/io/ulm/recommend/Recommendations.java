package io.ulm.recommend;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ulm.model.ModelConfig;
import io.ulm.model.ModelKind;
import io.ulm.model.ModelRegistry;
import io.ulm.model.OnnxModels;
import io.ulm.model.ServedModel;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import io.ulm.recommend.RecommendationPolicy.Served;
import io.ulm.recommend.RecommendationPolicy.Strategy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/** The lifecycle-aware recommendation answer: strategy by {@link RecommendationPolicy}, candidates from ONNX or popularity. */
@ApplicationScoped
public class Recommendations {

    /** When filtering model candidates (category, win-back), this many times k are asked for. */
    static final int OVERSAMPLE = 10;
    /** The served hybrid's kind in answers (not a registry kind: a blend of the two active recommenders). */
    static final String HYBRID = "hybrid";

    private static final Logger LOG = Logger.getLogger(Recommendations.class);

    /**
     * The model that answered: registry id, kind ({@code recommender}, {@code sequential} or {@code hybrid}), name and
     * version. A hybrid is the sequential model's blend (its id and version: the tuned weights are in its mapping) and
     * lists its components with their weights in {@code blend}; other answers have no {@code blend}.
     */
    public record ModelRef(long id, String kind, String name, int version, @JsonInclude(JsonInclude.Include.NON_NULL) List<Component> blend) {

        static ModelRef of(ServedModel model) {
            ModelRegistry.ModelInfo i = model.info();
            return new ModelRef(i.id(), i.kind(), i.name(), i.version(), null);
        }
    }

    /** A blended model and its weight (the weights sum to 1). */
    public record Component(long id, String kind, String name, int version, double weight) {

        static Component of(ServedModel model, double weight) {
            ModelRegistry.ModelInfo i = model.info();
            return new Component(i.id(), i.kind(), i.name(), i.version(), weight);
        }
    }

    public record Item(String itemId, double score, String title, List<String> categories) {
    }

    public record Answer(String userId, String stage, String strategy, ModelRef model, List<Item> items) {
    }

    private record Scored(String itemId, double score) {
    }

    private record AlignedPair(long factorisation, long sequential, ScoreBlend.Alignment alignment) {
    }

    private final UserContext context;
    private final Popularity popularity;
    private final OnnxModels models;
    private final TopKBatcher batcher;
    private final ModelConfig config;
    /** The alignment of the last blended pair of models (a swap makes a new one). */
    private final java.util.concurrent.atomic.AtomicReference<AlignedPair> aligned = new java.util.concurrent.atomic.AtomicReference<>();
    /** Model pairs whose blend was skipped for size, logged once each. */
    private final Set<String> tooLarge = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Recommendations(UserContext context, Popularity popularity, OnnxModels models, TopKBatcher batcher, ModelConfig config) {
        this.context = context;
        this.popularity = popularity;
        this.models = models;
        this.batcher = batcher;
        this.config = config;
    }

    /**
     * Blocking (JDBC reads and the batched ONNX call): call it on a worker thread. Never answers what she has seen,
     * {@code requested} exclusions, or items of the categories never recommended ({@link Popularity#excluded}).
     */
    public Answer recommend(String id, int k, String category, Set<String> requested) {
        Set<String> exclude = excluding(requested);
        UserContext.Context user = context.of(id).orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-user", "Unknown user",
                "No user with id '" + id + "' has sent any message").with("userId", id)));
        String userId = user.userId();
        Optional<ServedModel> factorisation = models.active(ModelKind.RECOMMENDER);
        Optional<ServedModel> sequential = models.active(ModelKind.SEQUENTIAL);
        Integer index = factorisation.map(m -> m.userIndex(userId)).orElse(null);
        int[] history = sequential.map(m -> known(m, user.recent())).orElse(new int[0]);
        int sequentialMin = config.sequential().minHistory();
        Strategy strategy = RecommendationPolicy.choose(user.stage(), index != null, user.seen().size(),
                config.recommendations().minHistory(), !user.topCategories().isEmpty(), history.length, sequentialMin);
        Served served = served(strategy, factorisation, sequential, index != null, history.length);
        ServedModel model = served == Served.FACTORISATION ? factorisation.orElse(null) : sequential.get();
        boolean personal = served != Served.FACTORISATION || (index != null && (strategy == Strategy.PERSONALISED || strategy == Strategy.WIN_BACK));
        boolean filtered = category != null || strategy == Strategy.WIN_BACK;
        int want = filtered ? k * OVERSAMPLE : k;
        Predicate<String> drop = item -> user.seen().contains(item) || exclude.contains(item);
        List<Scored> candidates = !personal ? popular(category != null ? List.of(category) : user.topCategories(), user, exclude)
                : served == Served.HYBRID ? blended(factorisation.get(), index, sequential.get(), history, drop, want)
                : personalised(model, served == Served.SEQUENTIAL ? history : null, index == null ? -1 : index, user, exclude, want);
        Map<String, UserContext.ItemView> views = context.items(candidates.stream().map(Scored::itemId).toList());
        List<Scored> ranked = strategy == Strategy.WIN_BACK ? favouritesFirst(candidates, views, user.topCategories()) : candidates;
        List<Item> items = new ArrayList<>();
        for (Scored s : ranked) {
            UserContext.ItemView view = views.get(s.itemId());
            if (items.size() < k && (category == null || (view != null && view.categories().contains(category)))) {
                items.add(new Item(s.itemId(), s.score(), view == null ? null : view.title(), view == null ? List.of() : view.categories()));
            }
        }
        ModelRef ref = !personal ? null : served == Served.HYBRID ? hybrid(factorisation.get(), sequential.get()) : ModelRef.of(model);
        return new Answer(userId, user.stage(), strategy.label(), ref, items);
    }

    private Set<String> excluding(Set<String> requested) {
        Set<String> never = popularity.excluded();
        if (requested.isEmpty()) {
            return never;
        }
        Set<String> union = new java.util.HashSet<>(never);
        union.addAll(requested);
        return union;
    }

    /** Which model answers ({@link RecommendationPolicy#served}), the sequential one alone when a blend would be too large. */
    private Served served(Strategy strategy, Optional<ServedModel> factorisation, Optional<ServedModel> sequential, boolean knownToFactorisation,
                          int sequentialHistory) {
        if (sequential.isEmpty()) {
            return Served.FACTORISATION;
        }
        Served served = RecommendationPolicy.served(strategy, knownToFactorisation, sequentialHistory, config.sequential().minHistory(),
                sequentialWeight(sequential.get()));
        return served == Served.HYBRID && !blendable(factorisation.orElseThrow(), sequential.get()) ? Served.SEQUENTIAL : served;
    }

    /** The sequential weight of the blend tuned with this sequential model (its mapping's {@code blend}), NaN without one. */
    private static double sequentialWeight(ServedModel sequential) {
        return sequential.mapping().path("blend").path(ModelKind.SEQUENTIAL.key()).asDouble(Double.NaN);
    }

    /** Blending reads both graphs' scores of every item: not above {@code blend-max-items} items together (logged once). */
    private boolean blendable(ServedModel factorisation, ServedModel sequential) {
        int items = factorisation.items().size() + sequential.items().size();
        if (items <= config.sequential().blendMaxItems()) {
            return true;
        }
        if (tooLarge.add(factorisation.info().id() + "+" + sequential.info().id())) {
            LOG.infof("Not blending models %d and %d: %d items together exceed ulm.models.sequential.blend-max-items=%d; the sequential model "
                    + "serves alone", factorisation.info().id(), sequential.info().id(), items, config.sequential().blendMaxItems());
        }
        return false;
    }

    private static ModelRef hybrid(ServedModel factorisation, ServedModel sequential) {
        double weight = sequentialWeight(sequential);
        double other = sequential.mapping().path("blend").path(ModelKind.RECOMMENDER.key()).asDouble(1 - weight);
        ModelRegistry.ModelInfo s = sequential.info();
        return new ModelRef(s.id(), HYBRID, factorisation.info().name() + "+" + s.name(), s.version(),
                List.of(Component.of(factorisation, other), Component.of(sequential, weight)));
    }

    /**
     * Both graphs' unmasked scores of all their items by index (two batched requests, in flight together; from the
     * models' scores sessions, without TopK, when they have them: {@link TopKBatcher#scores}), blended by item id with
     * the tuned weights ({@link ScoreBlend}); seen and excluded items dropped.
     */
    private List<Scored> blended(ServedModel factorisation, int user, ServedModel sequential, int[] history, Predicate<String> drop, int want) {
        CompletableFuture<float[]> byUser = batcher.scores(factorisation, user, null);
        CompletableFuture<float[]> bySequence = batcher.scores(sequential, -1, history);
        float[] f = join(byUser);
        float[] s = join(bySequence);
        ModelRef ref = hybrid(factorisation, sequential);
        double[] weights = ref.blend().stream().mapToDouble(Component::weight).toArray();
        return ScoreBlend.top(alignment(factorisation, sequential), List.of(f, s), weights, drop, want).stream()
                .map(b -> new Scored(b.itemId(), b.score())).toList();
    }

    /** The two models' items in their union, computed once per pair of models (not per request). */
    private ScoreBlend.Alignment alignment(ServedModel factorisation, ServedModel sequential) {
        AlignedPair pair = aligned.get();
        if (pair == null || pair.factorisation() != factorisation.info().id() || pair.sequential() != sequential.info().id()) {
            pair = new AlignedPair(factorisation.info().id(), sequential.info().id(),
                    ScoreBlend.Alignment.of(List.of(factorisation.items(), sequential.items())));
            aligned.set(pair);
        }
        return pair.alignment();
    }

    private static <T> T join(CompletableFuture<T> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("The recommender model failed", e.getCause());
        }
    }

    /** Her recent items the model knows, as its item indexes, oldest first. */
    private static int[] known(ServedModel model, List<String> recent) {
        return recent.stream().map(model::itemIndex).filter(java.util.Objects::nonNull).mapToInt(Integer::intValue).toArray();
    }

    /** From a sequential model when {@code history} is given, else from the factorisation's row {@code user}. */
    private List<Scored> personalised(ServedModel model, int[] history, int user, UserContext.Context ctx, Set<String> exclude, int want) {
        List<Integer> masked = new ArrayList<>();
        for (String item : ctx.seen()) {
            Optional.ofNullable(model.itemIndex(item)).ifPresent(masked::add);
        }
        exclude.forEach(item -> Optional.ofNullable(model.itemIndex(item)).ifPresent(masked::add));
        int[] mask = masked.stream().mapToInt(Integer::intValue).toArray();
        CompletableFuture<TopKBatcher.TopK> answer = history != null ? batcher.topKAfter(model, history, mask, want) : batcher.topK(model, user, mask, want);
        TopKBatcher.TopK top = join(answer);
        List<Scored> scored = new ArrayList<>(top.items().length);
        for (int i = 0; i < top.items().length; i++) {
            String item = model.items().get((int) top.items()[i]);
            // the mask is a penalty: when fewer than k items are left, masked ones come last; they are never answered
            if (!ctx.seen().contains(item) && !exclude.contains(item)) {
                scored.add(new Scored(item, top.scores()[i]));
            }
        }
        return scored;
    }

    /** Popular items of the given categories (merged by users), or overall; never what she has seen or excluded. */
    private List<Scored> popular(List<String> categories, UserContext.Context user, Set<String> exclude) {
        Map<String, Long> merged = new LinkedHashMap<>();
        if (categories.isEmpty()) {
            popularity.overall().forEach(p -> merged.put(p.itemId(), p.users()));
        } else {
            categories.forEach(c -> popularity.inCategory(c).forEach(p -> merged.put(p.itemId(), p.users())));
        }
        return merged.entrySet().stream()
                .filter(e -> !user.seen().contains(e.getKey()) && !exclude.contains(e.getKey()))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> new Scored(e.getKey(), e.getValue())).toList();
    }

    /** Win-back: items of her favourite categories first, each group in the model's order. */
    private static List<Scored> favouritesFirst(List<Scored> candidates, Map<String, UserContext.ItemView> views, List<String> favourites) {
        return candidates.stream().sorted(Comparator.comparingInt(s -> {
            UserContext.ItemView v = views.get(s.itemId());
            return v != null && v.categories().stream().anyMatch(favourites::contains) ? 0 : 1;
        })).toList();
    }

    /** Items most often engaged with by the users of {@code itemId} (cosine of the binary user vectors); never an excluded category's. */
    public List<Item> similar(String itemId, int k) {
        Map<String, Long> together = context.coOccurring(itemId);
        long n = context.users(itemId);
        if (n == 0) {
            throw new ProblemException(Problem.of(404, "unknown-item", "Unknown item",
                    "No user has engaged with item '" + itemId + "'").with("itemId", itemId));
        }
        // the other items' counts come from the popularity snapshot (refreshed on a schedule); an item newer than the
        // snapshot has at least as many users as it shares with this one
        Set<String> never = popularity.excluded();
        List<Scored> scored = together.entrySet().stream().filter(e -> !never.contains(e.getKey()))
                .map(e -> new Scored(e.getKey(), e.getValue() / Math.sqrt((double) n * Math.max(e.getValue(), popularity.users(e.getKey())))))
                .sorted(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::itemId)).limit(k).toList();
        Map<String, UserContext.ItemView> views = context.items(scored.stream().map(Scored::itemId).toList());
        return scored.stream().map(s -> {
            UserContext.ItemView v = views.get(s.itemId());
            return new Item(s.itemId(), s.score(), v == null ? null : v.title(), v == null ? List.of() : v.categories());
        }).toList();
    }
}
