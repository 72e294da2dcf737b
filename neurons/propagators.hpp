#pragma once
// Exact propagators of linear leaky dynamics over one step h, computed once on the host in double
// (then converted to the run's number type). Stable for every pair of time constants, including
// tau_syn == tau_m, where the textbook formula divides zero by zero.
#include <cmath>

namespace spikegraph::propagator {

// exp(-h / tau): decay of a leaky variable over one step.
inline double decay(double h, double tau) { return std::exp(-h / tau); }

// Voltage reached after h from a constant current of 1 nA starting at v = rest:
// tau_m / c_m * (1 - exp(-h / tau_m))   [mV / nA]
inline double constant_current(double h, double tau_m, double c_m) { return -tau_m / c_m * std::expm1(-h / tau_m); }

// Voltage reached after h from a current of 1 nA at the start of the step decaying with tau_s:
// (1 / c_m) * integral_0^h exp(-(h - s) / tau_m) exp(-s / tau_s) ds
//   = (1 / c_m) * exp(-h / tau_m) * expm1(h * d) / d,   d = 1 / tau_m - 1 / tau_s   [mV / nA]
inline double decaying_current(double h, double tau_m, double tau_s, double c_m) {
    const double d = 1.0 / tau_m - 1.0 / tau_s;
    const double x = h * d;
    if (std::fabs(x) < 1e-8) return std::exp(-h / tau_m) * h * (1.0 + 0.5 * x) / c_m; // the limit d -> 0
    // Of the two equal forms, use the one whose exponentials cannot overflow:
    // exp(-h/tau_m) expm1(x) / d  ==  -exp(-h/tau_s) expm1(-x) / d.
    if (x > 0.0) return -std::exp(-h / tau_s) * std::expm1(-x) / d / c_m;
    return std::exp(-h / tau_m) * std::expm1(x) / d / c_m;
}

} // namespace spikegraph::propagator
