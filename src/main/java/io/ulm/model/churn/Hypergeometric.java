package io.ulm.model.churn;

/**
 * The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z &lt; 1 by its power series, which is what BG/NBD needs
 * (z = t / (α + T + t)); Commons Math 3.6.1 does not have it. Terms shrink roughly like z^k, so z close to 1 needs
 * many terms: the loop stops at machine precision or fails loudly.
 */
final class Hypergeometric {

    static final int MAX_TERMS = 1_000_000;
    static final double RELATIVE_PRECISION = 1e-15;

    private Hypergeometric() {
    }

    static double f21(double a, double b, double c, double z) {
        if (z < 0 || z >= 1) {
            throw new IllegalArgumentException("2F1 series needs 0 <= z < 1, got " + z);
        }
        double term = 1;
        double sum = 1;
        for (int k = 0; k < MAX_TERMS; k++) {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            sum += term;
            if (Math.abs(term) <= RELATIVE_PRECISION * Math.abs(sum)) {
                return sum;
            }
        }
        throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") did not converge");
    }
}
