package io.ulm.model.recsys;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * The order of one user's items that share one event time (the lines of one basket, films rated in the same second).
 * That order carries no information, so it must not carry any into a split or a sequence either. Ordering ties by
 * item id made the held-out item of an Online Retail user the highest stock code of her last basket, which a model of
 * "the next item has a slightly larger id" could exploit; any order fixed per item would do the same in subtler form
 * (the held-out item is the basket's last in that order, and a sequential model trained on baskets in that order can
 * learn each item's rank). Ties are therefore ordered by a seeded hash of the user and the item together: a different
 * order for every user, so no item is "late in baskets" across users, yet the same in every run, in training and in
 * serving ({@link io.ulm.recommend.UserContext}); docs/evaluation.md, "Ties in event time". Exact hash ties (~2^-64)
 * fall back to the id.
 */
public final class TieBreak {

    /** Fixed, so every split and every served history orders ties the same way; changing it reshuffles them. */
    static final long SEED = 0x5EED_0F_71E5L;

    private TieBreak() {
    }

    /** One user's items within one event time: by {@link #rank(String, String)}, then by id. */
    public static Comparator<String> itemsOf(String userId) {
        return Comparator.<String>comparingLong(item -> rank(userId, item)).thenComparing(Comparator.naturalOrder());
    }

    /**
     * FNV-1a (64 bit) over the user id's UTF-8 bytes, a zero byte and the item id's, started from the seed, then the
     * SplitMix64 finaliser so that ids that differ in their last character (85123A, 85123B) land far apart.
     */
    public static long rank(String userId, String itemId) {
        long h = 0xcbf29ce484222325L ^ SEED;
        h = mix(h, userId.getBytes(StandardCharsets.UTF_8));
        h = (h ^ 0) * 0x100000001b3L;
        h = mix(h, itemId.getBytes(StandardCharsets.UTF_8));
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    private static long mix(long h, byte[] bytes) {
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
