package io.ulm.model.sequential;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ulm.model.recsys.IdIndex;
import io.ulm.model.recsys.Interaction;
import io.ulm.model.recsys.InteractionMatrix;
import io.ulm.model.recsys.Recommender;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * SASRec as a {@link Recommender} for the evaluators: the scores of every item for the given users, each computed from
 * the input sequence the protocol allows (validation: her training items; test: those and the validation item), in
 * batches through the network once, then served from memory (users × items floats: evaluate a sample of users on
 * large catalogues, as {@link SequentialEvaluation} does).
 */
public final class SequenceScores implements Recommender {

    /** Users per forward pass when scoring. */
    static final int BATCH = 256;

    private final String name;
    private final Map<Integer, float[]> scores;
    private final int items;

    private SequenceScores(String name, Map<Integer, float[]> scores, int items) {
        this.name = name;
        this.scores = scores;
        this.items = items;
    }

    /** Scores the users of {@code users} with a network rebuilt from trained weights. */
    public static SequenceScores of(String name, SasRecWeights weights, Sequences data, IntFunction<int[]> input, int[] users) {
        try (SasRecNetwork net = SasRecNetwork.of(weights, Torch.device())) {
            return of(name, net, data, input, users);
        }
    }

    static SequenceScores of(String name, SasRecNetwork net, Sequences data, IntFunction<int[]> input, int[] users) {
        Map<Integer, float[]> scores = new HashMap<>();
        for (int from = 0; from < users.length; from += BATCH) {
            int to = Math.min(users.length, from + BATCH);
            int[][] inputs = new int[to - from][];
            for (int i = from; i < to; i++) {
                inputs[i - from] = input.apply(users[i]);
            }
            float[][] batch = forward(net, inputs);
            for (int i = from; i < to; i++) {
                scores.put(users[i], batch[i - from]);
            }
        }
        return new SequenceScores(name, scores, data.numItems());
    }

    /** The network's scores of every item after each item sequence (oldest first, the last maxLength count). */
    static float[][] forward(SasRecNetwork net, int[][] sequences) {
        int length = net.settings().maxLength();
        long[] tokens = new long[sequences.length * length];
        for (int i = 0; i < sequences.length; i++) {
            System.arraycopy(Sequences.tokens(sequences[i], length), 0, tokens, i * length, length);
        }
        try (NDManager m = net.manager().newSubManager()) {
            NDArray scores = net.scoreAll(m.create(tokens, new Shape(sequences.length, length)));
            float[] flat = scores.toFloatArray();
            float[][] rows = new float[sequences.length][net.items()];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(flat, i * net.items(), rows[i], 0, net.items());
            }
            return rows;
        }
    }

    /** Scores of the DJL forward pass for arbitrary item sequences (the reference the ONNX export is checked against). */
    public static float[][] forward(SasRecWeights weights, int[][] sequences) {
        try (SasRecNetwork net = SasRecNetwork.of(weights, Torch.device())) {
            float[][] all = new float[sequences.length][];
            for (int from = 0; from < sequences.length; from += BATCH) {
                int to = Math.min(sequences.length, from + BATCH);
                float[][] part = forward(net, java.util.Arrays.copyOfRange(sequences, from, to));
                System.arraycopy(part, 0, all, from, part.length);
            }
            return all;
        }
    }

    /** Every item each user touched (all her history), as a matrix over the sequences' indexes: what negatives avoid. */
    public static InteractionMatrix touched(Sequences data) {
        List<Interaction> all = new ArrayList<>();
        java.time.Instant t = java.time.Instant.EPOCH;
        IdIndex users = data.users();
        IdIndex items = data.items();
        for (int u = 0; u < data.numUsers(); u++) {
            for (int i : data.of(u)) {
                all.add(new Interaction(users.ids().get(u), items.ids().get(i), t, 1));
            }
        }
        return InteractionMatrix.of(users, items, all);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double[] scores(int user) {
        float[] s = scores.get(user);
        if (s == null) {
            throw new IllegalArgumentException("user " + user + " was not scored");
        }
        double[] row = new double[s.length];
        for (int j = 0; j < s.length; j++) {
            row[j] = s[j];
        }
        return row;
    }

    public int numItems() {
        return items;
    }
}
