package io.ulm.simulation;

import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;

import java.util.ArrayList;
import java.util.List;

/**
 * A source of one user's messages, one at a time in event time: the unit the {@link Simulator} merges. Holds the
 * cursor of the current visit (identify? → page → product views → order?) and builds each message only when it is
 * emitted, so a waiting user costs a few hundred bytes, never her messages.
 */
abstract class Process {

    enum Step { IDENTIFY, PAGE, VIEW, ORDER, DONE }

    private static final double MILLIS_PER_DAY = 86_400_000.0;
    private static final double POISSON_EPSILON = 1e-12;
    private static final int POISSON_ITERATIONS = 10_000_000;

    final SimulationSettings settings;
    final Catalogue catalogue;
    final UserProfile user;
    final Randomness rng;
    private final double[] mixture;
    private final String idBase;
    long nextAt;
    private Step step = Step.DONE;
    private int viewsLeft;
    private boolean order;
    private boolean browseOnly;
    private int messages;
    private int orders;

    Process(SimulationSettings settings, Catalogue catalogue, UserProfile user, Randomness rng, String tag) {
        this.settings = settings;
        this.catalogue = catalogue;
        this.user = user;
        this.rng = rng;
        this.mixture = user.cumulativeMixture();
        this.idBase = settings.idPrefix() + "-" + settings.seed() + "-" + user.index() + "-" + tag;
    }

    /** 0 for her natural behaviour, 1 for a treatment's: the tie-break after (time, user). */
    abstract int rank();

    /** Called after each order with its time (the natural process decides dropout here). */
    abstract void afterOrder(long at, boolean first);

    /** Called when a visit's last message was emitted; start the next visit or leave {@link #finished()} true. */
    abstract void afterVisit(long lastAt);

    /** Called with every message emitted, before it leaves. */
    void observe(long at) {
    }

    final boolean finished() {
        return step == Step.DONE;
    }

    final int userIndex() {
        return user.index();
    }

    /** A visit starting at {@code at}; {@code browseOnly} = page views only (a visitor who never activates). */
    final void startVisit(long at, boolean identify, boolean withOrder, boolean pagesOnly) {
        nextAt = at;
        step = identify ? Step.IDENTIFY : Step.PAGE;
        viewsLeft = onePlusPoisson(settings.viewsPerSession());
        order = withOrder;
        browseOnly = pagesOnly;
    }

    final SimulatedMessage emit() {
        long at = nextAt;
        String id = idBase + messages++;
        SimulatedMessage message = switch (step) {
            case IDENTIFY -> Messages.identify(id, at, user, settings.channels().get(user.channel()).name());
            case PAGE -> Messages.page(id, at, user.userId(), "Home", null);
            case VIEW -> view(id, at);
            case ORDER -> order(id, at);
            case DONE -> throw new IllegalStateException("no message left");
        };
        observe(at);
        Step done = step;
        advance();
        if (done == Step.ORDER) {
            afterOrder(at, orders == 1);
        }
        if (step == Step.DONE) {
            afterVisit(at);
        } else {
            nextAt = at + gapMillis();
        }
        return message;
    }

    /** Days to milliseconds, saturating (a rate near 0 gives a wait beyond any horizon). */
    static long millis(double days) {
        double ms = days * MILLIS_PER_DAY;
        return ms >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : (long) ms;
    }

    final long gapMillis() {
        return 1 + (long) rng.exponential(1.0 / settings.messageGap().toMillis());
    }

    final void end() {
        step = Step.DONE;
    }

    private void advance() {
        step = switch (step) {
            case IDENTIFY -> Step.PAGE;
            case PAGE, VIEW -> viewsLeft-- > 0 ? Step.VIEW : order ? Step.ORDER : Step.DONE;
            case ORDER, DONE -> Step.DONE;
        };
    }

    private SimulatedMessage view(String id, long at) {
        Catalogue.Item item = catalogue.sample(mixture, rng);
        if (browseOnly) {
            return Messages.page(id, at, user.userId(), item.title(), item.categories().get(0));
        }
        return Messages.productViewed(id, at, user.userId(), item);
    }

    /** Order value ~ Gamma(p, rate ν) (the Gamma-Gamma story), split evenly over its products, in cents. */
    private SimulatedMessage order(String id, long at) {
        int count = onePlusPoisson(settings.itemsPerOrder());
        double value = new GammaDistribution(rng, settings.spend().p(), 1 / user.spendRate()).sample();
        long cents = Math.max(count, Math.round(value * 100));
        List<Catalogue.Item> items = new ArrayList<>(count);
        long[] prices = new long[count];
        for (int i = 0; i < count; i++) {
            items.add(catalogue.sample(mixture, rng));
            prices[i] = cents / count + (i < cents % count ? 1 : 0);
        }
        orders++;
        return Messages.orderCompleted(id, at, user.userId(), idBase + "o" + orders, items, prices, settings.currency());
    }

    private int onePlusPoisson(double mean) {
        return mean <= 1 ? 1 : 1 + new PoissonDistribution(rng, mean - 1, POISSON_EPSILON, POISSON_ITERATIONS).sample();
    }
}
