#pragma once
// An independent, straightforward implementation of the STDP rules for the tests: spike times in
// milliseconds, traces as exact exponentials of the time since each spike (no per-step decay),
// events walked in time order at the synapse. Nothing here is shared with plasticity/ or the
// CPU backend.
#include <algorithm>
#include <cmath>
#include <vector>

namespace spikegraph::test {

struct ReferenceRule {
    // pair rule: tau_x = tau_y = 0 and a3 = 0; triplet: all set
    double tau_plus = 20, tau_minus = 20, tau_x = 0, tau_y = 0;
    double a2_plus = 0.01, a2_minus = 0.0105, a3_plus = 0, a3_minus = 0;
    double w_min = 0, w_max = 1;
    bool nearest = false;
    bool multiplicative = false;
    bool relative = true; // amplitudes are fractions of w_max - w_min (stdp), or absolute (stdp_triplet)
};

// The weight after the pre and post trains (times at the neurons [ms]) meet at the synapse:
// pre spikes arrive after `axonal` ms, post spikes after `dendritic` ms. Spikes meeting in the
// same instant form no pair; the post update of such an instant comes before the pre update.
inline double reference_weight(const ReferenceRule& r, double w, const std::vector<double>& pre_at_neuron,
                               const std::vector<double>& post_at_neuron, double axonal, double dendritic) {
    struct Event {
        double t;
        bool post;
    };
    std::vector<Event> events;
    for (double t : pre_at_neuron) events.push_back({t + axonal, false});
    for (double t : post_at_neuron) events.push_back({t + dendritic, true});
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.t < b.t || (a.t == b.t && a.post && !b.post); });
    std::vector<double> pre_seen, post_seen; // spike times at the synapse, processed so far
    // A trace at time t from spikes strictly before t (exact exponentials).
    auto trace = [&](const std::vector<double>& spikes, double t, double tau) {
        if (tau <= 0.0) return 0.0;
        double x = 0.0;
        for (auto it = spikes.rbegin(); it != spikes.rend(); ++it) {
            if (*it >= t - 1e-9) continue;
            x += std::exp(-(t - *it) / tau);
            if (r.nearest) break;
        }
        return x;
    };
    const double range = r.w_max - r.w_min;
    const double unit = r.relative ? range : 1.0;
    std::size_t i = 0;
    while (i < events.size()) {
        std::size_t j = i;
        while (j < events.size() && std::abs(events[j].t - events[i].t) < 1e-9) ++j;
        for (std::size_t k = i; k < j; ++k) {
            const double t = events[k].t;
            if (events[k].post) {
                double change = unit * trace(pre_seen, t, r.tau_plus) * (r.a2_plus + r.a3_plus * trace(post_seen, t, r.tau_y));
                if (r.multiplicative) change *= (r.w_max - w) / range;
                w = std::clamp(w + change, r.w_min, r.w_max);
            } else {
                double change = unit * trace(post_seen, t, r.tau_minus) * (r.a2_minus + r.a3_minus * trace(pre_seen, t, r.tau_x));
                if (r.multiplicative) change *= (w - r.w_min) / range;
                w = std::clamp(w - change, r.w_min, r.w_max);
            }
        }
        for (std::size_t k = i; k < j; ++k) (events[k].post ? post_seen : pre_seen).push_back(events[k].t);
        i = j;
    }
    return w;
}

} // namespace spikegraph::test
