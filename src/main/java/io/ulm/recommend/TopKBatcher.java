package io.ulm.recommend;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.quarkus.runtime.ShutdownEvent;
import io.ulm.model.ModelConfig;
import io.ulm.model.ModelContract;
import io.ulm.model.ServedModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Micro-batches concurrent recommendation requests into one ONNX Runtime call per model: a dispatcher thread
 * takes the first waiting request, waits at most {@code ulm.models.batching.max-wait} for others (up to
 * {@code max-size}), runs the graph once over the batch and completes each request with its row. The blend's score
 * requests ({@link #scores}) share the queue and the window but run as their own call on the model's scores session.
 * Requests never run on the event loop; one session call for 64 users costs far less than 64 calls.
 */
@ApplicationScoped
public class TopKBatcher {

    /** The graph's answer for one user: item indexes (best first) and their scores. */
    public record TopK(long[] items, float[] scores) {

        /** The scores by item index (items not in the answer score 0): for an answer over all {@code n} items. */
        public float[] byIndex(int n) {
            float[] byIndex = new float[n];
            for (int i = 0; i < items.length; i++) {
                byIndex[(int) items[i]] = scores[i];
            }
            return byIndex;
        }
    }

    /**
     * One request: a top-k answer ({@code answer}) or, for the blend, every item's score by index ({@code scores}, from
     * the model's scores session). The two are never run in one graph call.
     */
    private record Request(ServedModel model, int user, int[] history, int[] seen, int k, CompletableFuture<TopK> answer,
                           CompletableFuture<float[]> scores) {

        boolean wantsScores() {
            return scores != null;
        }
    }

    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final int maxSize;
    private final long maxWaitNanos;
    private final Thread dispatcher;

    TopKBatcher(ModelConfig config) {
        this.maxSize = config.batching().maxSize();
        this.maxWaitNanos = config.batching().maxWait().toNanos();
        this.dispatcher = new Thread(this::dispatch, "ulm-topk-batcher");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    void stop(@Observes ShutdownEvent event) {
        dispatcher.interrupt();
    }

    /** The top {@code k} items of user index {@code user}, excluding the item indexes in {@code seen}. */
    public CompletableFuture<TopK> topK(ServedModel model, int user, int[] seen, int k) {
        CompletableFuture<TopK> answer = new CompletableFuture<>();
        queue.add(new Request(model, user, null, seen, Math.min(k, model.items().size()), answer, null));
        return answer;
    }

    /**
     * The top {@code k} items after a sequence of item indexes (oldest first; a sequential model reads the last
     * {@link ServedModel#historyLength()}), excluding the item indexes in {@code seen}.
     */
    public CompletableFuture<TopK> topKAfter(ServedModel model, int[] history, int[] seen, int k) {
        CompletableFuture<TopK> answer = new CompletableFuture<>();
        queue.add(new Request(model, -1, history, seen, Math.min(k, model.items().size()), answer, null));
        return answer;
    }

    /**
     * The graph's score of every item by index, unmasked (for the served blend, which normalises over all items), for
     * user index {@code user} of a factorisation or, when {@code history} is given, after that sequence for a sequential
     * model. From the model's scores session (no TopK, {@link ServedModel#hasScores}) when it has one: such requests are
     * batched together, apart from top-k requests, whose graph calls they never enlarge. Without one, {@link #allItems}
     * un-sorted.
     */
    public CompletableFuture<float[]> scores(ServedModel model, int user, int[] history) {
        if (!model.hasScores()) {
            return allItems(model, user, history).thenApply(top -> top.byIndex(model.items().size()));
        }
        CompletableFuture<float[]> scores = new CompletableFuture<>();
        queue.add(new Request(model, history != null ? -1 : user, history, new int[0], 0, null, scores));
        return scores;
    }

    /**
     * The graph's score of every item, unmasked, sorted (the blend's path for a graph without a scores session, kept for
     * the benchmark's comparison; {@link TopK#byIndex} lines them up): a request for all items with an empty seen-mask,
     * batched like the others. A batch holding one asks the graph for all items for every top-k request in it (each
     * keeps its own k).
     */
    public CompletableFuture<TopK> allItems(ServedModel model, int user, int[] history) {
        int all = model.items().size();
        return history != null ? topKAfter(model, history, new int[0], all) : topK(model, user, new int[0], all);
    }

    private void dispatch() {
        List<Request> batch = new ArrayList<>(maxSize);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Request first = queue.take();
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxSize) {
                    Request next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                runByModel(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                batch.clear();
            }
        }
    }

    /** Requests for different models (around a swap), and score requests apart from top-k ones, run as separate calls. */
    private void runByModel(List<Request> batch) {
        while (!batch.isEmpty()) {
            ServedModel model = batch.get(0).model();
            boolean scores = batch.get(0).wantsScores();
            List<Request> same = batch.stream().filter(r -> r.model() == model && r.wantsScores() == scores).toList();
            batch.removeAll(same);
            try {
                if (scores) {
                    runScores(model, same);
                } else {
                    run(model, same);
                }
            } catch (Exception | LinkageError e) {
                same.forEach(r -> (r.wantsScores() ? r.scores() : r.answer()).completeExceptionally(e));
            }
        }
    }

    /** The scores session over the batch, an empty seen-mask: each request gets its row, every item's score by index. */
    private static void runScores(ServedModel model, List<Request> requests) throws Exception {
        int n = requests.size();
        int items = model.items().size();
        java.util.Set<String> inputs = model.scoresInputs();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new java.util.HashMap<>();
        try {
            String who = model.historyLength() > 0 ? ModelContract.HISTORY : ModelContract.USER;
            if (inputs.contains(who)) {
                feed.put(who, model.historyLength() > 0 ? histories(env, requests, model.historyLength()) : users(env, requests));
            }
            if (inputs.contains(ModelContract.SEEN_MASK)) {
                feed.put(ModelContract.SEEN_MASK, OnnxTensor.createTensor(env, FloatBuffer.allocate(n * items), new long[]{n, items}));
            }
            try (OrtSession.Result result = model.runScores(feed, n)) {
                FloatBuffer all = ((OnnxTensor) result.get(0)).getFloatBuffer();
                if (all.remaining() != n * items) {
                    throw new IllegalStateException("model " + model.info().id() + "'s scores session answered " + all.remaining()
                            + " scores for " + n + " rows of " + items + " items");
                }
                for (Request r : requests) {
                    float[] row = new float[items];
                    all.get(row);
                    r.scores().complete(row);
                }
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static void run(ServedModel model, List<Request> requests) throws Exception {
        int n = requests.size();
        int items = model.items().size();
        int k = requests.stream().mapToInt(Request::k).max().orElse(1);
        float[] mask = new float[n * items];
        for (int i = 0; i < n; i++) {
            for (int seen : requests.get(i).seen()) {
                mask[i * items + seen] = 1f;
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor who = model.historyLength() > 0 ? histories(env, requests, model.historyLength()) : users(env, requests);
             OnnxTensor m = OnnxTensor.createTensor(env, FloatBuffer.wrap(mask), new long[]{n, items});
             OnnxTensor kk = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{k}), new long[]{1});
             OrtSession.Result result = model.run(Map.of(model.historyLength() > 0 ? ModelContract.HISTORY : ModelContract.USER, who,
                     ModelContract.SEEN_MASK, m, ModelContract.K, kk), n)) {
            long[][] top = (long[][]) result.get(ModelContract.ITEMS).orElseThrow().getValue();
            float[][] scores = (float[][]) result.get(ModelContract.SCORES).orElseThrow().getValue();
            for (int i = 0; i < n; i++) {
                Request r = requests.get(i);
                r.answer().complete(new TopK(java.util.Arrays.copyOf(top[i], r.k()), java.util.Arrays.copyOf(scores[i], r.k())));
            }
        }
    }

    private static OnnxTensor users(OrtEnvironment env, List<Request> requests) throws Exception {
        long[] users = requests.stream().mapToLong(Request::user).toArray();
        return OnnxTensor.createTensor(env, LongBuffer.wrap(users), new long[]{users.length});
    }

    /** [n, length] item indexes, each history's last {@code length} items, left-padded with -1 (the sequential contract). */
    private static OnnxTensor histories(OrtEnvironment env, List<Request> requests, int length) throws Exception {
        long[] flat = new long[requests.size() * length];
        java.util.Arrays.fill(flat, -1);
        for (int i = 0; i < requests.size(); i++) {
            int[] h = requests.get(i).history();
            int used = Math.min(length, h.length);
            for (int t = 0; t < used; t++) {
                flat[(i + 1) * length - used + t] = h[h.length - used + t];
            }
        }
        return OnnxTensor.createTensor(env, LongBuffer.wrap(flat), new long[]{requests.size(), length});
    }
}
