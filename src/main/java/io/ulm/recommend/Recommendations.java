package io.ulm.recommend;

import io.ulm.model.ModelConfig;
import io.ulm.model.ModelKind;
import io.ulm.model.OnnxModels;
import io.ulm.model.ServedModel;
import io.ulm.platform.problem.Problem;
import io.ulm.platform.problem.ProblemException;
import io.ulm.recommend.RecommendationPolicy.Strategy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The lifecycle-aware recommendation answer: strategy by {@link RecommendationPolicy}, candidates from ONNX or popularity. */
@ApplicationScoped
public class Recommendations {

    /** When filtering model candidates (category, win-back), this many times k are asked for. */
    static final int OVERSAMPLE = 10;

    /** The model that answered: registry id, kind ({@code recommender} or {@code sequential}), name and version. */
    public record ModelRef(long id, String kind, String name, int version) {
    }

    public record Item(String itemId, double score, String title, List<String> categories) {
    }

    public record Answer(String userId, String stage, String strategy, ModelRef model, List<Item> items) {
    }

    private record Scored(String itemId, double score) {
    }

    private final UserContext context;
    private final Popularity popularity;
    private final OnnxModels models;
    private final TopKBatcher batcher;
    private final ModelConfig config;

    Recommendations(UserContext context, Popularity popularity, OnnxModels models, TopKBatcher batcher, ModelConfig config) {
        this.context = context;
        this.popularity = popularity;
        this.models = models;
        this.batcher = batcher;
        this.config = config;
    }

    /** Blocking (JDBC reads and the batched ONNX call): call it on a worker thread. */
    public Answer recommend(String id, int k, String category, Set<String> exclude) {
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
        boolean bySequence = sequential.isPresent() && RecommendationPolicy.sequential(strategy, history.length, sequentialMin);
        ServedModel model = bySequence ? sequential.get() : factorisation.orElse(null);
        boolean personal = bySequence || (index != null && (strategy == Strategy.PERSONALISED || strategy == Strategy.WIN_BACK));
        boolean filtered = category != null || strategy == Strategy.WIN_BACK;
        List<Scored> candidates = personal
                ? personalised(model, bySequence ? history : null, index == null ? -1 : index, user, exclude, k, filtered)
                : popular(category != null ? List.of(category) : user.topCategories(), user, exclude);
        Map<String, UserContext.ItemView> views = context.items(candidates.stream().map(Scored::itemId).toList());
        List<Scored> ranked = strategy == Strategy.WIN_BACK ? favouritesFirst(candidates, views, user.topCategories()) : candidates;
        List<Item> items = new ArrayList<>();
        for (Scored s : ranked) {
            UserContext.ItemView view = views.get(s.itemId());
            if (items.size() < k && (category == null || (view != null && view.categories().contains(category)))) {
                items.add(new Item(s.itemId(), s.score(), view == null ? null : view.title(), view == null ? List.of() : view.categories()));
            }
        }
        ModelRef ref = personal ? new ModelRef(model.info().id(), model.info().kind(), model.info().name(), model.info().version()) : null;
        return new Answer(userId, user.stage(), strategy.label(), ref, items);
    }

    /** Her recent items the model knows, as its item indexes, oldest first. */
    private static int[] known(ServedModel model, List<String> recent) {
        return recent.stream().map(model::itemIndex).filter(java.util.Objects::nonNull).mapToInt(Integer::intValue).toArray();
    }

    /** From a sequential model when {@code history} is given, else from the factorisation's row {@code user}. */
    private List<Scored> personalised(ServedModel model, int[] history, int user, UserContext.Context ctx, Set<String> exclude, int k,
                                      boolean filtered) {
        List<Integer> masked = new ArrayList<>();
        for (String item : ctx.seen()) {
            Optional.ofNullable(model.itemIndex(item)).ifPresent(masked::add);
        }
        exclude.forEach(item -> Optional.ofNullable(model.itemIndex(item)).ifPresent(masked::add));
        int want = filtered ? k * OVERSAMPLE : k;
        int[] mask = masked.stream().mapToInt(Integer::intValue).toArray();
        CompletableFuture<TopKBatcher.TopK> answer = history != null ? batcher.topKAfter(model, history, mask, want) : batcher.topK(model, user, mask, want);
        TopKBatcher.TopK top;
        try {
            top = answer.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("The recommender model failed", e.getCause());
        }
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

    /** Items most often engaged with by the users of {@code itemId}: cosine of the binary user vectors. */
    public List<Item> similar(String itemId, int k) {
        Map<String, Long> together = context.coOccurring(itemId);
        long n = context.users(itemId);
        if (n == 0) {
            throw new ProblemException(Problem.of(404, "unknown-item", "Unknown item",
                    "No user has engaged with item '" + itemId + "'").with("itemId", itemId));
        }
        // the other items' counts come from the popularity snapshot (refreshed on a schedule); an item newer than the
        // snapshot has at least as many users as it shares with this one
        List<Scored> scored = together.entrySet().stream()
                .map(e -> new Scored(e.getKey(), e.getValue() / Math.sqrt((double) n * Math.max(e.getValue(), popularity.users(e.getKey())))))
                .sorted(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::itemId)).limit(k).toList();
        Map<String, UserContext.ItemView> views = context.items(scored.stream().map(Scored::itemId).toList());
        return scored.stream().map(s -> {
            UserContext.ItemView v = views.get(s.itemId());
            return new Item(s.itemId(), s.score(), v == null ? null : v.title(), v == null ? List.of() : v.categories());
        }).toList();
    }
}
