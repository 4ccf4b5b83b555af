package io.ulm.model.churn;

import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximum likelihood over strictly positive parameters with Commons Math's Nelder-Mead: the search runs on log
 * parameters (no bounds needed, scale-free steps) and restarts from its own optimum until the log-likelihood stops
 * improving, the usual cure for a simplex that collapsed early.
 */
final class LogMaximizer {

    /**
     * @param relativeTolerance simplex convergence on the log-likelihood (default 1e-12)
     * @param maxEvaluations    per run (default 20,000)
     * @param restarts          at most this many runs (default 5)
     */
    record Settings(double relativeTolerance, int maxEvaluations, int restarts) {
        static final Settings DEFAULTS = new Settings(1e-12, 20_000, 5);
    }

    private LogMaximizer() {
    }

    /** The positive parameters maximising {@code logLikelihood}, starting at {@code start}. */
    static double[] maximize(ToDoubleFunction<double[]> logLikelihood, double[] start, Settings settings) {
        ObjectiveFunction objective = new ObjectiveFunction(logs -> {
            double value = logLikelihood.applyAsDouble(exp(logs));
            return Double.isFinite(value) ? value : -Double.MAX_VALUE;
        });
        double[] point = log(start);
        double best = Double.NEGATIVE_INFINITY;
        for (int run = 0; run < settings.restarts(); run++) {
            SimplexOptimizer optimizer = new SimplexOptimizer(settings.relativeTolerance(), 1e-14);
            PointValuePair result = optimizer.optimize(objective, GoalType.MAXIMIZE, new InitialGuess(point),
                    new NelderMeadSimplex(point.length), new MaxEval(settings.maxEvaluations()));
            point = result.getPoint();
            boolean converged = result.getValue() - best <= Math.abs(best) * settings.relativeTolerance() * 10;
            best = Math.max(best, result.getValue());
            if (converged) {
                break;
            }
        }
        return exp(point);
    }

    private static double[] exp(double[] logs) {
        double[] out = new double[logs.length];
        for (int i = 0; i < logs.length; i++) {
            out[i] = Math.exp(logs[i]);
        }
        return out;
    }

    private static double[] log(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.log(values[i]);
        }
        return out;
    }
}
