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
    PlasticRule(const typename Rule::Params& params, const std::vector<SynapseTable>& tables, double dt,
                std::uint32_t delay, std::uint32_t axonal, const std::string& object)
        : coeffs_(Rule::template Coeffs<T>::make(params, dt)), delay_(delay), axonal_(axonal), dendritic_(delay - axonal) {
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
        auto& post_now = part.post_history[static_cast<std::size_t>(n % (dendritic_ + 1))];
        post_now.clear();
        if (post_spikes) post_now.insert(post_now.end(), post_spikes->begin(), post_spikes->end());
        const std::vector<Index>* pre_events = nullptr;
        if (axonal_ > 0) {
            auto& pre_now = part.pre_history[static_cast<std::size_t>(n % (axonal_ + 1))];
            pre_now.clear();
            for (int l = 0; l < lists; ++l) pre_now.insert(pre_now.end(), pre_lists[l]->begin(), pre_lists[l]->end());
            if (n >= axonal_) pre_events = &part.pre_history[static_cast<std::size_t>((n - axonal_) % (axonal_ + 1))];
        }
        const std::vector<Index>* post_events =
            n >= dendritic_ ? &part.post_history[static_cast<std::size_t>((n - dendritic_) % (dendritic_ + 1))] : nullptr;

        // The presynaptic spikes reaching the synapses now: this step's lists, or a remembered one.
        auto for_pre_events = [&](auto&& visit) {
            if (axonal_ == 0) {
                for (int l = 0; l < lists; ++l) visit(*pre_lists[l]);
            } else if (pre_events) {
                visit(*pre_events);
            }
        };
        if (post_events) potentiate(part, t, *post_events);
        ring.with_slot_type([&](auto slot_type) {
            for_pre_events([&](const std::vector<Index>& spikes) {
                depress_and_send<decltype(slot_type)>(part, t, spikes, n - axonal_, ring);
            });
        });
        if (post_events)
            for (Index j : *post_events) jump(part.post, j - t.target_offset);
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
        // The synapses onto each target (a column of the table): target-local index -> entries.
        std::vector<std::uint64_t> column_start;
        std::vector<std::uint32_t> column_synapse; // index into the table's arrays
        std::vector<Index> column_pre;
        std::array<DecayingTraces, Rule::pre_traces> pre;   // per presynaptic neuron
        std::array<DecayingTraces, Rule::post_traces> post; // per target of the partition
        std::vector<std::vector<Index>> pre_history;  // spikes of the last a + 1 steps
        std::vector<std::vector<Index>> post_history; // spikes of the last D - a + 1 steps
    };

    Partition make_partition(const SynapseTable& t, const TraceTimes& times, double dt, const std::string& object) const {
        if (t.size() >= (std::uint64_t{1} << 32))
            throw Error(ErrorCode::invalid_network, object + ": a plastic partition holds more than 2^32 synapses");
        Partition part;
        part.column_start.assign(static_cast<std::size_t>(t.target_span) + 1, 0);
        for (std::uint64_t s = 0; s < t.size(); ++s) ++part.column_start[t.target(s) - t.target_offset + 1];
        for (std::size_t j = 1; j < part.column_start.size(); ++j) part.column_start[j] += part.column_start[j - 1];
        part.column_synapse.resize(t.size());
        part.column_pre.resize(t.size());
        std::vector<std::uint64_t> fill(part.column_start.begin(), part.column_start.end() - 1);
        for (Index i = 0; i < t.n_pre; ++i) // by presynaptic neuron, so each column is in (pre, row) order
            for (std::uint64_t s = t.row_start[i]; s < t.row_start[i + 1]; ++s) {
                const std::uint64_t e = fill[t.target(s) - t.target_offset]++;
                part.column_synapse[e] = static_cast<std::uint32_t>(s);
                part.column_pre[e] = i;
            }
        for (int k = 0; k < Rule::pre_traces; ++k) part.pre[k] = DecayingTraces(t.n_pre, times.pre[k] / dt);
        for (int k = 0; k < Rule::post_traces; ++k) part.post[k] = DecayingTraces(t.target_span, times.post[k] / dt);
        part.pre_history.resize(axonal_ > 0 ? axonal_ + 1 : 0);
        part.post_history.resize(dendritic_ + 1);
        return part;
    }

    template <std::size_t N>
    void jump(std::array<DecayingTraces, N>& traces, Index k) const {
        for (auto& trace : traces) nearest_ ? trace.set_one(k) : trace.add_one(k);
    }

    template <std::size_t N>
    static void gather(const std::array<DecayingTraces, N>& traces, Index k, T* out) {
        for (std::size_t i = 0; i < N; ++i) out[i] = num::from_real<T>(traces[i].value(k));
    }

    void potentiate(Partition& part, SynapseTable& t, const std::vector<Index>& targets) const {
        float* weights = t.weight.data();
        T pre[Rule::pre_traces], post[Rule::post_traces];
        const std::uint32_t* synapse = part.column_synapse.data();
        for (Index j : targets) {
            const Index local = j - t.target_offset;
            gather(part.post, local, post);
            const std::uint64_t end = part.column_start[local + 1];
            for (std::uint64_t e = part.column_start[local]; e < end; ++e) {
                gather(part.pre, part.column_pre[e], pre);
                float& w = weights[synapse[e]];
                w = static_cast<float>(num::to_real(Rule::on_post(coeffs_, num::from_real<T>(w), pre, post)));
            }
        }
    }

    template <class Slot>
    void depress_and_send(Partition& part, SynapseTable& t, const std::vector<Index>& spikes, Step pre_step,
                          InputRing& ring) const {
        const float scale = static_cast<float>(ring.scale());
        Slot* slot = ring.data<Slot>() + t.target_offset +
                             ((static_cast<std::uint64_t>(pre_step) + delay_) & (ring.slots() - 1)) * t.n_post;
        float* weights = t.weight.data();
        T pre[Rule::pre_traces], post[Rule::post_traces];
        for (Index i : spikes) {
            gather(part.pre, i, pre);
            const std::uint64_t end = t.row_start[i + 1];
            for (std::uint64_t s = t.row_start[i]; s < end; ++s) {
                const Index local = t.target(s) - t.target_offset;
                gather(part.post, local, post);
                const float w = static_cast<float>(num::to_real(Rule::on_pre(coeffs_, num::from_real<T>(weights[s]), pre, post)));
                weights[s] = w;
                slot[local] += to_fixed<Slot>(w * scale);
            }
        }
    }

    void step_all(Partition& part, SynapseTable& t) const {
        float* weights = t.weight.data();
        T pre[Rule::pre_traces], post[Rule::post_traces];
        for (Index i = 0; i < t.n_pre; ++i) {
            gather(part.pre, i, pre);
            for (std::uint64_t s = t.row_start[i]; s < t.row_start[i + 1]; ++s) {
                gather(part.post, t.target(s) - t.target_offset, post);
                weights[s] = static_cast<float>(num::to_real(Rule::step(coeffs_, num::from_real<T>(weights[s]), pre, post)));
            }
        }
    }

    typename Rule::template Coeffs<T> coeffs_;
    std::uint32_t delay_, axonal_, dendritic_; // steps
    bool nearest_ = false;
    std::vector<Partition> parts_;
};

namespace detail {
template <class T, class... Rules>
std::unique_ptr<Plasticity> make_plasticity(TypeList<Rules...>, const PlasticitySpec& spec,
                                            const std::vector<SynapseTable>& tables, double dt, std::uint32_t delay,
                                            std::uint32_t axonal, const std::string& object) {
    std::unique_ptr<Plasticity> result;
    ((spec.rule == &Rules::info()
          ? (result = std::make_unique<PlasticRule<Rules, T>>(params_from_map<Rules>(spec.params), tables, dt, delay, axonal, object),
             true)
          : false) ||
     ...);
    if (!result) throw Error(ErrorCode::backend_unavailable, object + ": the cpu backend does not know rule '" +
                                                                 std::string(spec.rule->name) + "'");
    return result;
}
} // namespace detail

// The runtime of a projection's rule; delay and axonal delay in steps (axonal < delay).
template <class T>
std::unique_ptr<Plasticity> make_plasticity(const PlasticitySpec& spec, const std::vector<SynapseTable>& tables, double dt,
                                            std::uint32_t delay, std::uint32_t axonal, const std::string& object) {
    return detail::make_plasticity<T>(PlasticityRules{}, spec, tables, dt, delay, axonal, object);
}

} // namespace spikegraph::cpu
