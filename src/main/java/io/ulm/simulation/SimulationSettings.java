package io.ulm.simulation;

import io.ulm.model.churn.BgNbd;
import io.ulm.model.churn.GammaGamma;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything that shapes a simulation; {@link #defaults()} documents every default (docs/simulation.md explains the
 * generative model). Time parameters are in DAYS, like {@link io.ulm.model.churn.RepeatPurchases}, so the BG/NBD
 * truth can be compared with a fit without conversion.
 *
 * @param seed             the only source of randomness: same settings ⇒ byte-identical output
 * @param users            N, users acquired over the acquisition period
 * @param start            the first instant of the simulation
 * @param days             T, the simulated period [start, start + days)
 * @param acquisitionDays  users are acquired over [start, start + acquisitionDays), at most {@code days}
 * @param idPrefix         user ids are {@code <idPrefix>-<index>}, message ids {@code <idPrefix>-<seed>-…}
 * @param channels         acquisition channels: share of users and probability of activation (first order)
 * @param purchases        the true BG/NBD parameters: λ ~ Gamma(r, rate α) per day, p ~ Beta(a, b)
 * @param fadeOutDays      after her last purchase a dropped-out user still browses (no orders) for an exponential
 *                         time of this mean: real users do not vanish at checkout, and without it "the last activity
 *                         was an order" would give dropout away to any model (0 = vanish at the last order)
 * @param sessionsPerPurchase browsing sessions without an order per purchase (sessions are Poisson at this × λ)
 * @param viewsPerSession  mean product views per session (1 + Poisson(mean − 1))
 * @param itemsPerOrder    mean products per order (1 + Poisson(mean − 1))
 * @param messageGap       mean time between two messages of a session (exponential)
 * @param spend            the true Gamma-Gamma parameters: order value ~ Gamma(p, rate ν), ν ~ Gamma(q, rate γ)
 * @param currency         ISO 4217 code of the order revenue
 * @param catalogue        items, categories, popularity and the users' category mixtures
 * @param traits           values of the traits sent with identify (drawn uniformly)
 * @param winback          arms, holdout share and response window of win-back treatments
 */
public record SimulationSettings(long seed, int users, Instant start, int days, int acquisitionDays, String idPrefix,
                                 List<Channel> channels, BgNbd.Params purchases, double fadeOutDays, double sessionsPerPurchase,
                                 double viewsPerSession, double itemsPerOrder, Duration messageGap,
                                 GammaGamma.Params spend, String currency, CatalogueSettings catalogue,
                                 TraitSettings traits, WinbackSettings winback) {

    /** An acquisition channel: {@code weight} (relative share of users) and P(activation) of its users. */
    public record Channel(String name, double weight, double activationProbability) {
    }

    /**
     * @param items         catalogue size
     * @param categories    category names; item i belongs to category i mod |categories|
     * @param zipfExponent  s: within a category the item of popularity rank k is chosen ∝ 1 / k^s
     * @param concentration Dirichlet parameter of every category in a user's mixture (small ⇒ focused users)
     */
    public record CatalogueSettings(int items, List<String> categories, double zipfExponent, double concentration) {
    }

    public record TraitSettings(List<String> countries, List<String> devices, List<String> ageBands, List<String> plans) {
    }

    /** A win-back arm and its TRUE effect: the probability that a treated user comes back because of it. */
    public record Arm(String name, double extraReturnProbability) {
    }

    /**
     * @param arms                      the arms (a zero-effect arm is useful to test false positives)
     * @param holdoutShare              share of users {@link Assignment} keeps untreated
     * @param returnWindow              a caused return happens uniformly within this window after the treatment
     * @param returnPurchaseProbability P(the caused return session ends with an order)
     * @param pollEvery                 event-time step at which a batch run asks the {@link TreatmentSource}
     */
    public record WinbackSettings(List<Arm> arms, double holdoutShare, Duration returnWindow,
                                  double returnPurchaseProbability, Duration pollEvery) {
    }

    public SimulationSettings {
        Objects.requireNonNull(start, "start");
        if (users < 0 || days <= 0 || acquisitionDays <= 0 || acquisitionDays > days) {
            throw new IllegalArgumentException("need users ≥ 0 and 0 < acquisitionDays ≤ days");
        }
        if (channels.isEmpty() || catalogue.categories().isEmpty() || catalogue.items() < catalogue.categories().size()) {
            throw new IllegalArgumentException("need a channel, a category and at least one item per category");
        }
        channels = List.copyOf(channels);
    }

    /**
     * The defaults: 10,000 users acquired evenly over 90 days from 2024-01-01; a moderately active shop (mean λ =
     * r/α = 0.05 purchases a day while alive, mean p = a/(a+b) ≈ 0.17, so ~6 repeat purchases before dropping out);
     * a 14-day mean fade-out of browsing after the last
     * purchase of a user who drops out; 4 browsing sessions per purchase, 4 views a session; the CDNOW Gamma-Gamma spend (mean order ≈ 35 USD);
     * 2,000 items in 12 categories with Zipf s = 1.1; focused users (Dirichlet 0.3 per category).
     */
    public static SimulationSettings defaults() {
        return new SimulationSettings(42, 10_000, Instant.parse("2024-01-01T00:00:00Z"), 90, 90, "sim",
                List.of(new Channel("organic", 0.40, 0.50), new Channel("paid_search", 0.25, 0.35),
                        new Channel("social", 0.20, 0.25), new Channel("referral", 0.15, 0.60)),
                new BgNbd.Params(0.75, 15.0, 0.8, 4.0), 14.0, 4.0, 4.0, 1.5, Duration.ofSeconds(60),
                new GammaGamma.Params(6.25, 3.74, 15.44), "USD",
                new CatalogueSettings(2_000, List.of("books", "electronics", "home", "garden", "toys", "fashion",
                        "beauty", "sports", "grocery", "music", "games", "outdoors"), 1.1, 0.3),
                new TraitSettings(List.of("GB", "DE", "FR", "US", "ES", "NL"), List.of("ios", "android", "web"),
                        List.of("18-24", "25-34", "35-44", "45-54", "55+"), List.of("free", "basic", "pro")),
                new WinbackSettings(List.of(new Arm("discount", 0.10), new Arm("reminder", 0.05),
                        new Arm("placebo", 0.0)), 0.2, Duration.ofDays(14), 0.5, Duration.ofDays(1)));
    }

    public SimulationSettings withSeed(long newSeed) {
        return new SimulationSettings(newSeed, users, start, days, acquisitionDays, idPrefix, channels, purchases, fadeOutDays,
                sessionsPerPurchase, viewsPerSession, itemsPerOrder, messageGap, spend, currency, catalogue, traits, winback);
    }

    /** N users over T days, acquired over the whole period. */
    public SimulationSettings withScale(int newUsers, int newDays, int newAcquisitionDays) {
        return new SimulationSettings(seed, newUsers, start, newDays, newAcquisitionDays, idPrefix, channels, purchases, fadeOutDays,
                sessionsPerPurchase, viewsPerSession, itemsPerOrder, messageGap, spend, currency, catalogue, traits, winback);
    }

    /** The same simulation starting at another instant (the demo ends its history now). */
    public SimulationSettings withStart(Instant newStart) {
        return new SimulationSettings(seed, users, newStart, days, acquisitionDays, idPrefix, channels, purchases, fadeOutDays,
                sessionsPerPurchase, viewsPerSession, itemsPerOrder, messageGap, spend, currency, catalogue, traits, winback);
    }

    public SimulationSettings withPurchases(BgNbd.Params truth) {
        return new SimulationSettings(seed, users, start, days, acquisitionDays, idPrefix, channels, truth, fadeOutDays,
                sessionsPerPurchase, viewsPerSession, itemsPerOrder, messageGap, spend, currency, catalogue, traits, winback);
    }

    /** Browsing sessions per purchase and mean product views per session (0 and 1: purchases only, cheapest). */
    public SimulationSettings withSessions(double newSessionsPerPurchase, double newViewsPerSession) {
        return new SimulationSettings(seed, users, start, days, acquisitionDays, idPrefix, channels, purchases, fadeOutDays,
                newSessionsPerPurchase, newViewsPerSession, itemsPerOrder, messageGap, spend, currency, catalogue, traits,
                winback);
    }

    public SimulationSettings withFadeOut(double newFadeOutDays) {
        return new SimulationSettings(seed, users, start, days, acquisitionDays, idPrefix, channels, purchases,
                newFadeOutDays, sessionsPerPurchase, viewsPerSession, itemsPerOrder, messageGap, spend, currency, catalogue,
                traits, winback);
    }

    public SimulationSettings withWinback(WinbackSettings newWinback) {
        return new SimulationSettings(seed, users, start, days, acquisitionDays, idPrefix, channels, purchases, fadeOutDays,
                sessionsPerPurchase, viewsPerSession, itemsPerOrder, messageGap, spend, currency, catalogue, traits, newWinback);
    }

    public Instant end() {
        return start.plus(Duration.ofDays(days));
    }

    public Arm arm(String name) {
        return winback.arms().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown win-back arm " + name));
    }
}
