package io.ulm.model.recsys;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Matrix factorisation for implicit feedback (Hu, Koren &amp; Volinsky 2008): preference p = 1 for every observed pair,
 * 0 otherwise, with confidence c = 1 + alpha·r (r = the interaction confidence, the summed weights), minimising
 * Σ c·(p − x_u·y_i)² + λ(Σ‖x_u‖² + Σ‖y_i‖²) over all pairs by alternating least squares.
 *
 * <p>Each row is solved with a few conjugate-gradient steps warm-started from its previous value (Takács, Pilászy
 * &amp; Tikk 2011, as in the {@code implicit} library) instead of an exact Cholesky solve: CG needs only products
 * with YᵀY (shared, f²) and with the row's own observed items (f each), so a row costs O(f² + n·f) instead of
 * O(f³ + n·f²), it allocates nothing per row, and the result is as good after a handful of sweeps. The small dense
 * algebra is written out here because Commons Math would allocate a matrix object per row for no gain.
 *
 * <p>Rows within a half-sweep are independent given the other side's factors, so they are solved in parallel and
 * the result is still deterministic for a given seed.
 */
public final class ImplicitAls implements Recommender {

    /**
     * @param factors        latent dimension (64: MovieLens-sized data stops improving around 50–100)
     * @param regularization λ, the L2 penalty on every factor row (0.1)
     * @param alpha          confidence slope, c = 1 + alpha·r (10: one rating is then worth 11 unobserved pairs)
     * @param iterations     alternating sweeps (users then items) (15)
     * @param cgSteps        conjugate-gradient steps per row and sweep (3, as in {@code implicit})
     * @param seed           for the initial factors, uniform in ±{@link #INIT_SCALE}/√factors
     */
    public record Settings(int factors, double regularization, double alpha, int iterations, int cgSteps, long seed) {

        public static final Settings DEFAULTS = new Settings(64, 0.1, 10, 15, 3, 42);

        public Settings {
            if (factors < 1 || iterations < 0 || cgSteps < 1 || regularization < 0 || alpha < 0) {
                throw new IllegalArgumentException("invalid ALS settings: " + this);
            }
        }
    }

    /** Small initial factors so the first sweep is driven by the data, not by the noise. */
    static final double INIT_SCALE = 0.1;
    /** Residual norm² below which CG has converged (nothing left to gain in float factors). */
    private static final double CG_TOLERANCE = 1e-20;

    private final Factors users;
    private final Factors items;

    private ImplicitAls(Factors users, Factors items) {
        this.users = users;
        this.items = items;
    }

    public static ImplicitAls fit(InteractionMatrix training, Settings settings) {
        Factors users = random(training.numUsers(), settings, settings.seed());
        Factors items = random(training.numItems(), settings, settings.seed() + 1);
        Side userSide = Side.users(training);
        Side itemSide = Side.items(training);
        for (int sweep = 0; sweep < settings.iterations(); sweep++) {
            solve(userSide, users, items, settings);
            solve(itemSide, items, users, settings);
        }
        return new ImplicitAls(users, items);
    }

    /** Rebuilds a fitted model from stored factors (e.g. read back from an export). */
    public static ImplicitAls of(Factors users, Factors items) {
        if (users.dimension() != items.dimension()) {
            throw new IllegalArgumentException("user and item factors differ in dimension");
        }
        return new ImplicitAls(users, items);
    }

    private static Factors random(int rows, Settings settings, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[rows * settings.factors()];
        double scale = INIT_SCALE / Math.sqrt(settings.factors());
        for (int at = 0; at < values.length; at++) {
            values[at] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return new Factors(rows, settings.factors(), values);
    }

    /** The rows of one side with their observed columns and confidences, copied once for all sweeps. */
    private record Side(int[][] columns, float[][] confidences) {

        static Side users(InteractionMatrix m) {
            int[][] columns = new int[m.numUsers()][];
            float[][] confidences = new float[m.numUsers()][];
            for (int u = 0; u < columns.length; u++) {
                columns[u] = m.itemsOf(u);
                confidences[u] = m.confidencesOf(u);
            }
            return new Side(columns, confidences);
        }

        static Side items(InteractionMatrix m) {
            int[][] columns = new int[m.numItems()][];
            float[][] confidences = new float[m.numItems()][];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = m.usersOf(i);
                confidences[i] = m.confidencesOfItem(i);
            }
            return new Side(columns, confidences);
        }
    }

    /** One half-sweep: every row of {@code solved} against the fixed {@code fixed} factors. */
    private static void solve(Side side, Factors solved, Factors fixed, Settings settings) {
        double[] gram = gram(fixed, settings.regularization());
        IntStream.range(0, solved.rows()).parallel()
                .forEach(row -> new RowSolver(gram, fixed, settings).solve(side.columns()[row],
                        side.confidences()[row], solved, row));
    }

    /** YᵀY + λI, upper and lower triangle filled, in double (the shared part of every row's system). */
    private static double[] gram(Factors fixed, double regularization) {
        int f = fixed.dimension();
        double[] gram = new double[f * f];
        float[] y = fixed.values();
        for (int row = 0; row < fixed.rows(); row++) {
            int base = row * f;
            for (int a = 0; a < f; a++) {
                double ya = y[base + a];
                for (int b = a; b < f; b++) {
                    gram[a * f + b] += ya * y[base + b];
                }
            }
        }
        for (int a = 0; a < f; a++) {
            gram[a * f + a] += regularization;
            for (int b = 0; b < a; b++) {
                gram[a * f + b] = gram[b * f + a];
            }
        }
        return gram;
    }

    @Override
    public String name() {
        return "ALS";
    }

    @Override
    public double[] scores(int user) {
        double[] scores = new double[items.rows()];
        for (int item = 0; item < scores.length; item++) {
            scores[item] = users.dot(user, items, item);
        }
        return scores;
    }

    public Factors userFactors() {
        return users;
    }

    public Factors itemFactors() {
        return items;
    }

    /**
     * Conjugate gradient on (YᵀY + λI + Yᵀ(C−I)Y) x = YᵀCp for one row, where only the row's observed columns have
     * c ≠ 1 and p = 1, so the system is applied without ever being formed.
     */
    private static final class RowSolver {

        private final double[] gram;
        private final Factors fixed;
        private final Settings settings;
        private final int f;

        RowSolver(double[] gram, Factors fixed, Settings settings) {
            this.gram = gram;
            this.fixed = fixed;
            this.settings = settings;
            this.f = fixed.dimension();
        }

        void solve(int[] columns, float[] confidences, Factors solved, int row) {
            double[] x = new double[f];
            for (int a = 0; a < f; a++) {
                x[a] = solved.values()[row * f + a];
            }
            double[] r = residual(x, columns, confidences);
            double[] p = r.clone();
            double rsOld = dot(r, r);
            for (int step = 0; step < settings.cgSteps() && rsOld > CG_TOLERANCE; step++) {
                double[] ap = apply(p, columns, confidences);
                double stepSize = rsOld / dot(p, ap);
                double rsNew = 0;
                for (int a = 0; a < f; a++) {
                    x[a] += stepSize * p[a];
                    r[a] -= stepSize * ap[a];
                    rsNew += r[a] * r[a];
                }
                for (int a = 0; a < f; a++) {
                    p[a] = r[a] + rsNew / rsOld * p[a];
                }
                rsOld = rsNew;
            }
            for (int a = 0; a < f; a++) {
                solved.values()[row * f + a] = (float) x[a];
            }
        }

        /** b − A x with b = Σ c_i y_i over the observed columns. */
        private double[] residual(double[] x, int[] columns, float[] confidences) {
            double[] ax = apply(x, columns, confidences);
            for (int at = 0; at < columns.length; at++) {
                addRow(ax, columns[at], -confidence(confidences[at]));
            }
            for (int a = 0; a < f; a++) {
                ax[a] = -ax[a];
            }
            return ax;
        }

        /** A v = (YᵀY + λI) v + Σ (c_i − 1)(y_i·v) y_i over the observed columns. */
        private double[] apply(double[] v, int[] columns, float[] confidences) {
            double[] out = new double[f];
            for (int a = 0; a < f; a++) {
                double sum = 0;
                for (int b = 0; b < f; b++) {
                    sum += gram[a * f + b] * v[b];
                }
                out[a] = sum;
            }
            for (int at = 0; at < columns.length; at++) {
                double yv = 0;
                int base = columns[at] * f;
                for (int a = 0; a < f; a++) {
                    yv += fixed.values()[base + a] * v[a];
                }
                addRow(out, columns[at], (confidence(confidences[at]) - 1) * yv);
            }
            return out;
        }

        private void addRow(double[] target, int column, double scale) {
            int base = column * f;
            for (int a = 0; a < f; a++) {
                target[a] += scale * fixed.values()[base + a];
            }
        }

        private double confidence(float r) {
            return 1 + settings.alpha() * r;
        }

        private static double dot(double[] a, double[] b) {
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                sum += a[i] * b[i];
            }
            return sum;
        }
    }
}
