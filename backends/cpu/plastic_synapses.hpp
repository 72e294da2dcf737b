#pragma once
// Plastic synapses on the CPU. A rule's on_pre / on_post / step run inside the delivery of each
// step, partition by partition, so a thread changes only the weights onto the targets it owns
// and results do not depend on the thread count. Each partition keeps its own traces: those of
// every presynaptic neuron (the same values in every partition, computed the same way) and
// those of its targets, in double precision (decaying_traces.hpp).
//
// Timing (core/connector.hpp, PlasticitySpec): a presynaptic spike of step m reaches the synapse
// at step m + a (a: the axonal delay in steps), a postsynaptic spike of step m at m + D - a
// (D: the synaptic delay). The delivery of step n processes, in this order: the postsynaptic
// spikes reaching the synapses at n (on_post); the presynaptic ones (on_pre, then the new weight
// goes into input slot m + D); the trace jumps. So a pre and a post spike meeting in the same step
// form no pair, and the weight a spike carries includes its own update.
//
// Synapses may have different delays D (the axonal part a is the projection's): they fall into
// groups by dendritic delay D - a. A postsynaptic spike reaches each group's synapses at its own
// step, so the postsynaptic traces are kept per group (group k of target j at k * span + j), and
// each column is ordered by group, so the synapses a spike reaches are one stretch of it.
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "backends/cpu/decaying_traces.hpp"
#include "backends/cpu/input_ring.hpp"
#include "core/connector.hpp"
#include "core/error.hpp"
#include "core/synapse_table.hpp"
#include "plasticity/rules.hpp"

namespace spikegraph::cpu {

// One plastic projection: a virtual call per partition and step, templates inside.
class Plasticity {
public:
    virtual ~Plasticity() = default;
    // Delivers step n into one partition: `pre_lists` hold the presynaptic spikes of step n (one
    // list per range, in order), `post_spikes` the spikes of step n of the partition's targets.
    virtual void deliver(std::size_t partition, SynapseTable& table, const std::vector<Index>* const* pre_lists, int lists,
                         const std::vector<Index>* post_spikes, Step n, InputRing& ring) = 0;
    virtual std::size_t bytes() const = 0;
};

template <class Rule, class T>
class PlasticRule final : public Plasticity {
public:
    // `axonal`: steps, less than every synapse's delay.
    PlasticRule(const typename Rule::Params& params, const std::vector<SynapseTable>& tables, double dt,
                std::uint32_t axonal, const std::string& object)
        : coeffs_(Rule::template Coeffs<T>::make(params, dt)), axonal_(axonal) {
        std::vector<bool> used;
        for (const SynapseTable& t : tables)
            for (std::uint64_t s = 0; s < t.size(); ++s) {
                const std::uint32_t d = t.delay(s);
                if (d >= used.size()) used.resize(d + 1, false);
                used[d] = true;
            }
        group_.assign(used.size(), 0);
        for (std::uint32_t d = 0; d < used.size(); ++d)
            if (used[d]) {
                group_[d] = static_cast<std::uint32_t>(dendritic_.size());
                dendritic_.push_back(d - axonal_);
            }
        if (dendritic_.empty()) dendritic_.push_back(1); // no synapses
        const TraceTimes times = Rule::trace_times(params);
        nearest_ = times.interaction == Interaction::nearest;
        for (const SynapseTable& t : tables) parts_.push_back(make_partition(t, times, dt, object));
    }

    void deliver(std::size_t p, SynapseTable& t, const std::vector<Index>* const* pre_lists, int lists,
                 const std::vector<Index>* post_spikes, Step n, InputRing& ring) override {
        if (p >= parts_.size()) return;
        Partition& part = parts_[p];
        for (auto& trace : part.pre) trace.advance(n);
        for (auto& trace : part.post) trace.advance(n);

        // Remember this step's spikes until they reach the synapses.
        const Step kept = dendritic_.back() + 1; // the longest dendritic delay, and this step
        auto& post_now = part.post_history[static_cast<std::size_t>(n % kept)];
        post_now.clear();
        if (post_spikes) post_now.insert(post_now.end(), post_spikes->begin(), post_spikes->end());
        const std::vector<Index>* pre_events = nullptr;
        if (axonal_ > 0) {
            auto& pre_now = part.pre_history[static_cast<std::size_t>(n % (axonal_ + 1))];
            pre_now.clear();
            for (int l = 0; l < lists; ++l) pre_now.insert(pre_now.end(), pre_lists[l]->begin(), pre_lists[l]->end());
            if (n >= axonal_) pre_events = &part.pre_history[static_cast<std::size_t>((n - axonal_) % (axonal_ + 1))];
        }
        // The postsynaptic spikes reaching group k's synapses now.
        auto post_events = [&](std::size_t k) -> const std::vector<Index>* {
            const Step d = dendritic_[k];
            return n >= d ? &part.post_history[static_cast<std::size_t>((n - d) % kept)] : nullptr;
        };

        // The presynaptic spikes reaching the synapses now: this step's lists, or a remembered one.
        auto for_pre_events = [&](auto&& visit) {
            if (axonal_ == 0) {
                for (int l = 0; l < lists; ++l) visit(*pre_lists[l]);
            } else if (pre_events) {
                visit(*pre_events);
            }
        };
        for (std::size_t k = 0; k < dendritic_.size(); ++k)
            if (const auto* events = post_events(k)) potentiate(part, t, *events, k);
        ring.with_slot_type([&](auto slot_type) {
            for_pre_events([&](const std::vector<Index>& spikes) {
                if (dendritic_.size() == 1) depress_and_send<decltype(slot_type), true>(part, t, spikes, n - axonal_, ring);
                else depress_and_send<decltype(slot_type), false>(part, t, spikes, n - axonal_, ring);
            });
        });
        for (std::size_t k = 0; k < dendritic_.size(); ++k)
            if (const auto* events = post_events(k))
                for (Index j : *events) jump(part.post, post_index(t, k, j - t.target_offset));
        for_pre_events([&](const std::vector<Index>& spikes) {
            for (Index i : spikes) jump(part.pre, i);
        });
        if constexpr (Rule::has_step) step_all(part, t);
    }

    std::size_t bytes() const override {
        std::size_t total = 0;
        for (const Partition& part : parts_) {
            total += part.column_start.size() * sizeof(std::uint64_t) + part.column_synapse.size() * sizeof(std::uint32_t) +
                     part.column_pre.size() * sizeof(Index);
            for (const auto& trace : part.pre) total += trace.size() * sizeof(double);
            for (const auto& trace : part.post) total += trace.size() * sizeof(double);
        }
        return total;
    }

private:
    struct Partition {
        // The synapses onto each target (a column of the table), by group: entries of group k of
        // target-local j from column_start[j * groups + k].
        std::vector<std::uint64_t> column_start;
        std::vector<std::uint32_t> column_synapse; // index into the table's arrays
        std::vector<Index> column_pre;
        std::array<DecayingTraces, Rule::pre_traces> pre;   // per presynaptic neuron
        std::array<DecayingTraces, Rule::post_traces> post; // per group and target of the partition
        std::vector<std::vector<Index>> pre_history;  // spikes of the last a + 1 steps
        std::vector<std::vector<Index>> post_history; // spikes of the last (longest D - a) + 1 steps
    };

    Partition make_partition(const SynapseTable& t, const TraceTimes& times, double dt, const std::string& object) const {
        if (t.size() >= (std::uint64_t{1} << 32))
            throw Error(ErrorCode::invalid_network, object + ": a plastic partition holds more than 2^32 synapses");
        Partition part;
        const std::size_t groups = dendritic_.size();
        auto column_of = [&](std::uint64_t s) { return (t.target(s) - t.target_offset) * groups + group_[t.delay(s)]; };
        part.column_start.assign(static_cast<std::size_t>(t.target_span) * groups + 1, 0);
        for (std::uint64_t s = 0; s < t.size(); ++s) ++part.column_start[column_of(s) + 1];
        for (std::size_t j = 1; j < part.column_start.size(); ++j) part.column_start[j] += part.column_start[j - 1];
        part.column_synapse.resize(t.size());
        part.column_pre.resize(t.size());
        std::vector<std::uint64_t> fill(part.column_start.begin(), part.column_start.end() - 1);
        for (Index i = 0; i < t.n_pre; ++i) // by presynaptic neuron, so each column is in (pre, row) order
            for (std::uint64_t s = t.row_start[i]; s < t.row_start[i + 1]; ++s) {
                const std::uint64_t e = fill[column_of(s)]++;
                part.column_synapse[e] = static_cast<std::uint32_t>(s);
                part.column_pre[e] = i;
            }
        for (int k = 0; k < Rule::pre_traces; ++k) part.pre[k] = DecayingTraces(t.n_pre, times.pre[k] / dt);
        for (int k = 0; k < Rule::post_traces; ++k) part.post[k] = DecayingTraces(t.target_span * groups, times.post[k] / dt);
        part.pre_history.resize(axonal_ > 0 ? axonal_ + 1 : 0);
        part.post_history.resize(dendritic_.back() + 1);
        return part;
    }

    // Where the postsynaptic traces of group k of target-local j are kept.
    static Index post_index(const SynapseTable& t, std::size_t k, Index local) {
        return static_cast<Index>(k * t.target_span + local);
    }

    template <std::size_t N>
    void jump(std::array<DecayingTraces, N>& traces, Index k) const {
        for (auto& trace : traces) nearest_ ? trace.set_one(k) : trace.add_one(k);
    }

    template <std::size_t N>
    static void gather(const std::array<DecayingTraces, N>& traces, Index k, T* out) {
        for (std::size_t i = 0; i < N; ++i) out[i] = num::from_real<T>(traces[i].value(k));
    }

    // The postsynaptic spikes `targets` reaching the synapses of group k.
    void potentiate(Partition& part, SynapseTable& t, const std::vector<Index>& targets, std::size_t k) const {
        float* weights = t.weight.data();
        T pre[Rule::pre_traces], post[Rule::post_traces];
        const std::uint32_t* synapse = part.column_synapse.data();
        const std::size_t groups = dendritic_.size();
        for (Index j : targets) {
            const Index local = j - t.target_offset;
            gather(part.post, post_index(t, k, local), post);
            const std::size_t column = static_cast<std::size_t>(local) * groups + k;
            const std::uint64_t end = part.column_start[column + 1];
            for (std::uint64_t e = part.column_start[column]; e < end; ++e) {
                gather(part.pre, part.column_pre[e], pre);
                float& w = weights[synapse[e]];
                w = static_cast<float>(num::to_real(Rule::on_post(coeffs_, num::from_real<T>(w), pre, post)));
            }
        }
    }

    // The presynaptic spikes of step pre_step reaching the synapses now; `one_group`: every
    // synapse has the same delay.
    template <class Slot, bool one_group>
    void depress_and_send(Partition& part, SynapseTable& t, const std::vector<Index>& spikes, Step pre_step,
                          InputRing& ring) const {
        const float scale = static_cast<float>(ring.scale());
        const std::uint64_t mask = ring.slots() - 1;
        Slot* base = ring.data<Slot>() + t.target_offset;
        float* weights = t.weight.data();
        if constexpr (one_group) {
            // One delay: the row's new weights are computed in one loop (which vectorises: the
            // row is contiguous, the traces are gathered), then added to the one slot.
            Slot* slot = base + ((static_cast<std::uint64_t>(pre_step) + dendritic_[0] + axonal_) & mask) * t.n_post;
            if (t.narrow_targets()) depress_and_send_rows(part, weights, t.target16.data(), t.row_start.data(), spikes, slot, scale);
            else depress_and_send_rows(part, weights, t.target32.data(), t.row_start.data(), spikes, slot, scale);
        } else {
            T pre[Rule::pre_traces], post[Rule::post_traces];
            for (Index i : spikes) {
                gather(part.pre, i, pre);
                const std::uint64_t end = t.row_start[i + 1];
                for (std::uint64_t s = t.row_start[i]; s < end; ++s) {
                    const Index local = t.target(s) - t.target_offset;
                    const std::uint32_t delay = t.delay(s);
                    gather(part.post, post_index(t, group_[delay], local), post);
                    const float w = static_cast<float>(num::to_real(Rule::on_pre(coeffs_, num::from_real<T>(weights[s]), pre, post)));
                    weights[s] = w;
                    Slot* slot = base + ((static_cast<std::uint64_t>(pre_step) + delay) & mask) * t.n_post;
                    slot[local] += to_fixed<Slot>(w * scale);
                }
            }
        }
    }

    template <class Target, class Slot>
    void depress_and_send_rows(const Partition& part, float* weights, const Target* targets, const std::uint64_t* row_start,
                               const std::vector<Index>& spikes, Slot* slot, float scale) const {
        T pre[Rule::pre_traces];
        for (Index i : spikes) {
            gather(part.pre, i, pre);
            const std::uint64_t begin = row_start[i], end = row_start[i + 1];
            for (std::uint64_t s = begin; s < end; ++s) {
                T post[Rule::post_traces];
                gather(part.post, targets[s], post);
                weights[s] = static_cast<float>(num::to_real(Rule::on_pre(coeffs_, num::from_real<T>(weights[s]), pre, post)));
            }
            for (std::uint64_t s = begin; s < end; ++s) slot[targets[s]] += to_fixed<Slot>(weights[s] * scale);
        }
    }

    void step_all(Partition& part, SynapseTable& t) const {
        float* weights = t.weight.data();
        T pre[Rule::pre_traces], post[Rule::post_traces];
        for (Index i = 0; i < t.n_pre; ++i) {
            gather(part.pre, i, pre);
            for (std::uint64_t s = t.row_start[i]; s < t.row_start[i + 1]; ++s) {
                gather(part.post, post_index(t, group_[t.delay(s)], t.target(s) - t.target_offset), post);
                weights[s] = static_cast<float>(num::to_real(Rule::step(coeffs_, num::from_real<T>(weights[s]), pre, post)));
            }
        }
    }

    typename Rule::template Coeffs<T> coeffs_;
    std::uint32_t axonal_;                 // steps
    std::vector<std::uint32_t> dendritic_; // per group, ascending: D - a [steps]
    std::vector<std::uint32_t> group_;     // per delay D [steps]: its group
    bool nearest_ = false;
    std::vector<Partition> parts_;
};

namespace detail {
template <class T, class... Rules>
std::unique_ptr<Plasticity> make_plasticity(TypeList<Rules...>, const PlasticitySpec& spec,
                                            const std::vector<SynapseTable>& tables, double dt, std::uint32_t axonal,
                                            const std::string& object) {
    std::unique_ptr<Plasticity> result;
    ((spec.rule == &Rules::info()
          ? (result = std::make_unique<PlasticRule<Rules, T>>(params_from_map<Rules>(spec.params), tables, dt, axonal, object),
             true)
          : false) ||
     ...);
    if (!result) throw Error(ErrorCode::backend_unavailable, object + ": the cpu backend does not know rule '" +
                                                                 std::string(spec.rule->name) + "'");
    return result;
}
} // namespace detail

// The runtime of a projection's rule; the axonal delay in steps, below every synapse's delay.
template <class T>
std::unique_ptr<Plasticity> make_plasticity(const PlasticitySpec& spec, const std::vector<SynapseTable>& tables, double dt,
                                            std::uint32_t axonal, const std::string& object) {
    return detail::make_plasticity<T>(PlasticityRules{}, spec, tables, dt, axonal, object);
}

} // namespace spikegraph::cpu
