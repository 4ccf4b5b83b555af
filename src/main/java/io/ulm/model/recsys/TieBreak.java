package io.ulm.model.recsys;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * The order of items that share one event time (the lines of one basket, films rated in the same second). That order
 * carries no information, so it must not carry any into a split or a sequence either: ordering ties by item id made
 * the held-out item of an Online Retail user the highest stock code of her last basket and the validation item the
 * next-highest of the same basket, which a model of "the next item has a slightly larger id" could exploit
 * (docs/evaluation.md, "Ties in event time"). Ties are ordered by a fixed seeded hash of the item id instead:
 * unrelated to the id's order, yet the same in every run, in training and in serving
 * ({@link io.ulm.recommend.UserContext}), so splits stay deterministic. Exact hash ties (~2^-64) fall back to the id.
 */
public final class TieBreak {

    /** Fixed, so every split and every served history orders ties the same way; changing it reshuffles them. */
    static final long SEED = 0x5EED_0F_71E5L;

    /** Within one event time: by {@link #rank(String)}, then by id. */
    public static final Comparator<String> ITEMS = Comparator.comparingLong(TieBreak::rank).thenComparing(Comparator.naturalOrder());

    private TieBreak() {
    }

    /**
     * FNV-1a (64 bit) over the id's UTF-8 bytes, started from the seed, then the SplitMix64 finaliser so that ids that
     * differ in their last character (85123A, 85123B) land far apart.
     */
    public static long rank(String itemId) {
        long h = 0xcbf29ce484222325L ^ SEED;
        for (byte b : itemId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
