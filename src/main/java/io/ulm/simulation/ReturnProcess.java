package io.ulm.simulation;

/**
 * One visit caused by a treatment: she comes back at a uniform time within the arm's window and, with
 * {@code returnPurchaseProbability}, orders. It draws from her TREATMENT stream and does not change her natural
 * process (a dropped-out user stays dropped out afterwards: the treatment buys one return, not a new life).
 */
final class ReturnProcess extends Process {

    ReturnProcess(SimulationSettings settings, Catalogue catalogue, UserProfile user, Randomness treatmentStream,
                  long at) {
        super(settings, catalogue, user, treatmentStream, "r");
        startVisit(at, false, treatmentStream.nextDouble() < settings.winback().returnPurchaseProbability(), false);
    }

    @Override
    int rank() {
        return 1;
    }

    @Override
    void afterOrder(long at, boolean first) {
        // a caused return does not decide dropout: her natural process does
    }

    @Override
    void afterVisit(long lastAt) {
        end();
    }
}
