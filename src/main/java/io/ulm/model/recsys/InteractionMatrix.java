package io.ulm.model.recsys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The user-item matrix of implicit feedback, by dense index: for each user the sorted distinct items she interacted
 * with and the confidence of each (the sum of the interaction weights), and the transpose (item to users).
 * Immutable; both directions are compressed rows, so fitting a model never hashes.
 */
public final class InteractionMatrix {

    private final IdIndex users;
    private final IdIndex items;
    private final Rows byUser;
    private final Rows byItem;

    private InteractionMatrix(IdIndex users, IdIndex items, Rows byUser, Rows byItem) {
        this.users = users;
        this.items = items;
        this.byUser = byUser;
        this.byItem = byItem;
    }

    /** The matrix over the ids that occur in the interactions. */
    public static InteractionMatrix of(Collection<Interaction> interactions) {
        return of(IdIndex.of(interactions.stream().map(Interaction::userId).toList()),
                IdIndex.of(interactions.stream().map(Interaction::itemId).toList()), interactions);
    }

    /**
     * The matrix over given id spaces, so that splits of one data set share indexes (a held-out item keeps its index
     * even when no training interaction has it). Every interaction's ids must be in the indexes.
     */
    public static InteractionMatrix of(IdIndex users, IdIndex items, Collection<Interaction> interactions) {
        List<TreeMap<Integer, Double>> rows = new ArrayList<>(users.size());
        for (int u = 0; u < users.size(); u++) {
            rows.add(new TreeMap<>());
        }
        for (Interaction interaction : interactions) {
            int u = require(users.index(interaction.userId()), "user", interaction.userId());
            int i = require(items.index(interaction.itemId()), "item", interaction.itemId());
            rows.get(u).merge(i, interaction.weight(), Double::sum);
        }
        Rows byUser = Rows.from(rows);
        return new InteractionMatrix(users, items, byUser, byUser.transpose(items.size()));
    }

    private static int require(int index, String kind, String id) {
        if (index < 0) {
            throw new IllegalArgumentException("Unknown " + kind + " id " + id);
        }
        return index;
    }

    public IdIndex users() {
        return users;
    }

    public IdIndex items() {
        return items;
    }

    public int numUsers() {
        return users.size();
    }

    public int numItems() {
        return items.size();
    }

    /** Number of distinct (user, item) pairs. */
    public int size() {
        return byUser.values.length;
    }

    /** The user's distinct items, ascending (a copy). */
    public int[] itemsOf(int user) {
        return byUser.columns(user);
    }

    /** Confidences aligned with {@link #itemsOf(int)} (a copy). */
    public float[] confidencesOf(int user) {
        return byUser.values(user);
    }

    /** The item's distinct users, ascending (a copy). */
    public int[] usersOf(int item) {
        return byItem.columns(item);
    }

    /** Confidences aligned with {@link #usersOf(int)} (a copy). */
    public float[] confidencesOfItem(int item) {
        return byItem.values(item);
    }

    public int userDegree(int user) {
        return byUser.length(user);
    }

    /** Number of distinct users who interacted with the item. */
    public int itemDegree(int item) {
        return byItem.length(item);
    }

    public boolean contains(int user, int item) {
        return Arrays.binarySearch(byUser.columns, byUser.start[user], byUser.start[user + 1], item) >= 0;
    }

    /** Compressed rows: row r holds columns[start[r] .. start[r+1]) ascending, with values alongside. */
    private record Rows(int[] start, int[] columns, float[] values) {

        static Rows from(List<TreeMap<Integer, Double>> rows) {
            int[] start = new int[rows.size() + 1];
            for (int r = 0; r < rows.size(); r++) {
                start[r + 1] = start[r] + rows.get(r).size();
            }
            int[] columns = new int[start[rows.size()]];
            float[] values = new float[columns.length];
            for (int r = 0; r < rows.size(); r++) {
                int at = start[r];
                for (var cell : rows.get(r).entrySet()) {
                    columns[at] = cell.getKey();
                    values[at++] = cell.getValue().floatValue();
                }
            }
            return new Rows(start, columns, values);
        }

        /** Rows are visited in ascending order, so each transposed row comes out sorted too. */
        Rows transpose(int numColumns) {
            int[] tStart = new int[numColumns + 1];
            for (int column : columns) {
                tStart[column + 1]++;
            }
            for (int c = 0; c < numColumns; c++) {
                tStart[c + 1] += tStart[c];
            }
            int[] next = Arrays.copyOf(tStart, numColumns);
            int[] tColumns = new int[columns.length];
            float[] tValues = new float[columns.length];
            for (int r = 0; r + 1 < start.length; r++) {
                for (int at = start[r]; at < start[r + 1]; at++) {
                    int slot = next[columns[at]]++;
                    tColumns[slot] = r;
                    tValues[slot] = values[at];
                }
            }
            return new Rows(tStart, tColumns, tValues);
        }

        int length(int row) {
            return start[row + 1] - start[row];
        }

        int[] columns(int row) {
            return Arrays.copyOfRange(columns, start[row], start[row + 1]);
        }

        float[] values(int row) {
            return Arrays.copyOfRange(values, start[row], start[row + 1]);
        }
    }
}
