package io.ulm.winback;

/**
 * Where a user falls in a campaign: an arm, or the holdout ({@link #HOLDOUT}, picked and deliberately not treated).
 *
 * @param uniform the user's point in [0, 1) from the hash of (campaign, user): below the holdout share means holdout
 */
public record Assignment(String campaignId, String userId, String arm, double uniform) {

    public static final String HOLDOUT = "holdout";

    public boolean holdout() {
        return HOLDOUT.equals(arm);
    }
}
