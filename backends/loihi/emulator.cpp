#include "backends/loihi/emulator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "backends/cpu/source_factory.hpp"
#include "core/error.hpp"
#include "hardware/loihi/fixed.hpp"
#include "neurons/cuba_lif.hpp"

namespace spikegraph::loihi {

namespace {

// The compartments of one population, or a spike source.
struct Group {
    Index size = 0;
    std::unique_ptr<cpu::Population<Int>> source;
    std::vector<Int> v, u, unused_current, bias;
    std::vector<std::int32_t> free_from; // neurons/spike_rule.hpp
    CubaLifCoeffs<Int> coeffs{};
    std::uint32_t ring_slots = 1;      // input ring: slot (n % ring_slots) holds the input of step n
    std::vector<std::int64_t> ring;    // ring_slots x size
    std::vector<Index> spikes;         // of the current step
};

struct Projection {
    std::uint32_t pre = 0, post = 0;
    int weight_exp = 0;
    std::vector<std::uint64_t> row_start; // by presynaptic neuron
    std::vector<Index> target;
    std::vector<std::int64_t> weight;     // shifted by weight_exp when it is >= 0
    std::vector<std::uint32_t> delay;
    // A negative exponent floors each (step, delay, target) sum: it is gathered here first.
    std::vector<std::int64_t> pending;    // (max delay + 1) x post size
    std::vector<std::uint8_t> touched_flag;
    std::vector<std::size_t> touched;
};

CubaLifCoeffs<Int> coefficients(const CompartmentGroup& g) {
    CubaLifCoeffs<Int> c{};
    c.membrane.p22 = Int{4096 - g.dv};
    c.membrane.v_leak = Int{0};
    c.membrane.p20 = Int{1}; // the bias enters v unscaled
    c.membrane.p11[0] = Int{4096 - g.du - 1};
    c.membrane.p11[1] = Int{0};
    c.membrane.p21[0] = c.membrane.p21[1] = Int{0};
    c.membrane.p21_new[0] = Int{1}; // v adds the current just computed
    c.membrane.p21_new[1] = Int{0};
    c.spike.v_th = Int{(g.vth << activation_shift) + 1}; // v > vth << 6, in the model's v >= v_th
    c.spike.v_reset = Int{0};
    c.spike.reset_step = Int{0};
    c.spike.refractory_steps = std::min(g.refractory_steps, max_refractory_steps); // at most 62 (spec.hpp)
    c.spike.subtract = false;
    return c;
}

std::int64_t effective_bias(std::int32_t mant, std::int32_t exp) {
    return exp >= 0 ? static_cast<std::int64_t>(mant) << exp : static_cast<std::int64_t>(mant) >> -exp;
}

struct StateProbe {
    std::uint32_t population;
    bool voltage; // else u
    std::size_t record;
    Step interval;
};

} // namespace

struct Emulator::Impl {
    QuantizedNetwork net;
    std::vector<Group> groups;
    std::vector<Projection> projections;
    std::vector<std::vector<std::uint32_t>> outgoing; // projections by presynaptic group
    Recording recording;
    std::vector<std::pair<std::uint32_t, std::size_t>> spike_records; // (population, record)
    std::vector<std::vector<char>> spike_members;                      // empty: all neurons
    std::vector<StateProbe> probes;
    Activity activity;
    double wall = 0.0;

    Impl(QuantizedNetwork network, Seed seed) : net(std::move(network)) {
        net.validate();
        build_groups(seed);
        build_projections();
        build_records();
        activity.spikes.resize(groups.size());
        for (std::size_t p = 0; p < groups.size(); ++p) activity.spikes[p].assign(groups[p].size, 0);
        activity.active_updates.assign(groups.size(), 0);
    }

    void build_groups(Seed seed) {
        for (std::uint32_t p = 0; p < net.populations.size(); ++p) {
            const CompartmentGroup& g = net.populations[p];
            Group group;
            group.size = g.size;
            if (g.source) {
                group.source = cpu::make_spike_source<Int>(*g.source, p, net.dt, seed);
                if (!group.source)
                    throw Error(ErrorCode::hardware_constraint, "population '" + g.name + "': model '" +
                                                                    std::string(g.source->model->name) + "' is not a spike source");
            } else {
                group.v.resize(g.size);
                group.u.resize(g.size);
                group.unused_current.resize(g.size);
                group.bias.resize(g.size);
                group.free_from.assign(g.size, 0); // free from step 0, where runs start
                for (Index k = 0; k < g.size; ++k) {
                    group.bias[k] = Int{effective_bias(g.bias_mant[k], g.bias_exp[k])};
                    if (!g.v0.empty()) group.v[k] = Int{g.v0[k]};
                    if (!g.u0.empty()) group.u[k] = Int{g.u0[k]};
                }
                group.coeffs = coefficients(g);
            }
            groups.push_back(std::move(group));
        }
    }

    void build_projections() {
        outgoing.resize(groups.size());
        for (std::uint32_t j = 0; j < net.projections.size(); ++j) {
            const SynapseGroup& s = net.projections[j];
            Projection p;
            p.pre = s.pre;
            p.post = s.post;
            p.weight_exp = s.weight_exp;
            const Index n_pre = groups[s.pre].size;
            p.row_start.assign(n_pre + 1, 0);
            for (Index i : s.pre_index) ++p.row_start[i + 1];
            for (Index i = 0; i < n_pre; ++i) p.row_start[i + 1] += p.row_start[i];
            const std::size_t n = s.weight.size();
            p.target.resize(n);
            p.weight.resize(n);
            p.delay.resize(n);
            std::vector<std::uint64_t> fill(p.row_start.begin(), p.row_start.end() - 1);
            std::uint32_t max_delay = 1;
            for (std::size_t k = 0; k < n; ++k) {
                const std::uint64_t at = fill[s.pre_index[k]]++;
                p.target[at] = s.post_index[k];
                p.weight[at] = s.weight_exp >= 0 ? static_cast<std::int64_t>(s.weight[k]) << s.weight_exp : s.weight[k];
                p.delay[at] = s.delay[k];
                max_delay = std::max(max_delay, s.delay[k]);
            }
            Group& post = groups[s.post];
            post.ring_slots = std::max(post.ring_slots, max_delay + 1);
            if (s.weight_exp < 0) {
                const std::size_t cells = static_cast<std::size_t>(max_delay + 1) * post.size;
                p.pending.assign(cells, 0);
                p.touched_flag.assign(cells, 0);
            }
            outgoing[s.pre].push_back(j);
            projections.push_back(std::move(p));
        }
        for (Group& g : groups)
            if (!g.source) g.ring.assign(static_cast<std::size_t>(g.ring_slots) * g.size, 0);
    }

    void build_records() {
        for (const RecordSpec& r : net.records) {
            const std::uint32_t p = r.population.value; // checked by QuantizedNetwork::validate
            const CompartmentGroup& g = net.populations[p];
            std::vector<Index> neurons = r.neurons;
            std::sort(neurons.begin(), neurons.end());
            if (neurons.empty())
                for (Index k = 0; k < g.size; ++k) neurons.push_back(k);
            if (r.variable == "spikes") {
                SpikeRecord record;
                record.population = g.name;
                record.population_size = g.size;
                record.neurons = neurons;
                std::vector<char> member;
                if (!r.neurons.empty()) {
                    member.assign(g.size, 0);
                    for (Index k : neurons) member[k] = 1;
                }
                spike_records.emplace_back(p, recording.spikes.size());
                spike_members.push_back(std::move(member));
                recording.spikes.push_back(std::move(record));
                continue;
            }
            const bool voltage = r.variable == "v";
            StateRecord record;
            record.population = g.name;
            record.variable = r.variable;
            record.unit = "loihi";
            record.neurons = neurons;
            const double steps = r.interval > 0.0 ? std::nearbyint(r.interval / net.dt) : 1.0;
            record.interval_steps = static_cast<Step>(std::max(1.0, steps));
            probes.push_back({p, voltage, recording.states.size(), record.interval_steps});
            recording.states.push_back(std::move(record));
        }
    }

    void advance(Group& g, std::uint32_t p, Step n) {
        g.spikes.clear();
        if (g.source) {
            g.source->update(n, 0, g.size, g.spikes);
            return;
        }
        keep_free_from_in_range(g.free_from.data(), g.size, n);
        NeuronArrays<Int, 3> state{{g.v.data(), g.u.data(), g.unused_current.data()}, g.bias.data(), g.free_from.data(),
                                   wrapping_clock(n)};
        std::int64_t* input = g.ring.data() + static_cast<std::size_t>(n % g.ring_slots) * g.size;
        std::uint64_t active = 0;
        for (Index k = 0; k < g.size; ++k) {
            const std::int64_t a = input[k];
            input[k] = 0;
            active += (a != 0) | (g.u[k].value != 0) | (g.v[k].value != 0);
            // Lava shifts a_in in 32-bit integers: a huge input wraps there before reaching u.
            const auto shifted = static_cast<std::int32_t>(static_cast<std::uint32_t>(a) << activation_shift);
            const SynapticInput<Int, 2> in{{Int{shifted}, Int{0}}};
            if (CubaLif::step<0, Int>(g.coeffs, state, k, in)) g.spikes.push_back(k);
        }
        activity.active_updates[p] += active;
    }

    void deliver(Projection& p, Step n) {
        const Group& pre = groups[p.pre];
        if (pre.spikes.empty()) return;
        Group& post = groups[p.post];
        const std::uint32_t slots = post.ring_slots;
        const std::uint32_t base = static_cast<std::uint32_t>(n % slots);
        if (p.weight_exp >= 0) {
            for (Index i : pre.spikes) {
                for (std::uint64_t s = p.row_start[i]; s < p.row_start[i + 1]; ++s) {
                    std::uint32_t slot = base + p.delay[s];
                    slot -= slot >= slots ? slots : 0;
                    post.ring[static_cast<std::size_t>(slot) * post.size + p.target[s]] += p.weight[s];
                }
            }
        } else {
            for (Index i : pre.spikes) {
                for (std::uint64_t s = p.row_start[i]; s < p.row_start[i + 1]; ++s) {
                    const std::size_t cell = static_cast<std::size_t>(p.delay[s]) * post.size + p.target[s];
                    p.pending[cell] += p.weight[s];
                    if (!p.touched_flag[cell]) {
                        p.touched_flag[cell] = 1;
                        p.touched.push_back(cell);
                    }
                }
            }
            for (std::size_t cell : p.touched) {
                const auto delay = static_cast<std::uint32_t>(cell / post.size);
                const auto target = static_cast<Index>(cell % post.size);
                std::uint32_t slot = base + delay;
                slot -= slot >= slots ? slots : 0;
                post.ring[static_cast<std::size_t>(slot) * post.size + target] += p.pending[cell] >> -p.weight_exp; // floor
                p.pending[cell] = 0;
                p.touched_flag[cell] = 0;
            }
            p.touched.clear();
        }
    }

    void record(Step n) {
        for (std::size_t r = 0; r < spike_records.size(); ++r) {
            const auto [p, index] = spike_records[r];
            SpikeRecord& record = recording.spikes[index];
            const std::vector<char>& member = spike_members[r];
            for (Index k : groups[p].spikes)
                if (member.empty() || member[k]) {
                    record.steps.push_back(n);
                    record.senders.push_back(k);
                }
        }
        for (const StateProbe& probe : probes) {
            if ((n + 1) % probe.interval != 0) continue;
            StateRecord& record = recording.states[probe.record];
            const std::vector<Int>& values = probe.voltage ? groups[probe.population].v : groups[probe.population].u;
            record.steps.push_back(n);
            for (Index k : record.neurons) record.values.push_back(static_cast<double>(values[k].value));
        }
    }

    void run(Step steps, const ProgressCallback& progress) {
        const auto start = std::chrono::steady_clock::now();
        auto last_report = start;
        const Step end = activity.steps + steps;
        for (Step n = activity.steps; n < end; ++n) {
            for (std::uint32_t p = 0; p < groups.size(); ++p) advance(groups[p], p, n);
            for (std::uint32_t p = 0; p < groups.size(); ++p) {
                for (Index k : groups[p].spikes) ++activity.spikes[p][k];
                for (std::uint32_t j : outgoing[p]) deliver(projections[j], n);
            }
            record(n);
            activity.steps = n + 1;
            if (progress && (n & 255) == 255) {
                const auto now = std::chrono::steady_clock::now();
                if (std::chrono::duration<double>(now - last_report).count() > 0.25) {
                    last_report = now;
                    progress(n + 1 - (end - steps), steps, std::chrono::duration<double>(now - start).count());
                }
            }
        }
        wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (progress) progress(steps, steps, wall);
    }
};

Emulator::Emulator(QuantizedNetwork network, Seed seed) : impl_(std::make_unique<Impl>(std::move(network), seed)) {}
Emulator::~Emulator() = default;
Emulator::Emulator(Emulator&&) noexcept = default;
Emulator& Emulator::operator=(Emulator&&) noexcept = default;

void Emulator::run(Step steps, const ProgressCallback& progress) {
    if (steps < 0) throw Error(ErrorCode::invalid_parameter, "Emulator.run: steps must not be negative");
    impl_->run(steps, progress);
}
Step Emulator::steps() const { return impl_->activity.steps; }
const Recording& Emulator::recording() const { return impl_->recording; }
const Activity& Emulator::activity() const { return impl_->activity; }
const QuantizedNetwork& Emulator::network() const { return impl_->net; }
double Emulator::wall_time() const { return impl_->wall; }

CostReport Emulator::cost(const Placement& placement) const {
    return estimate(impl_->net, placement, {static_cast<std::uint64_t>(impl_->activity.steps), &impl_->activity.spikes,
                                            &impl_->activity.active_updates});
}

std::vector<std::int64_t> Emulator::state(std::uint32_t population, std::string_view variable) const {
    if (population >= impl_->groups.size()) throw Error(ErrorCode::invalid_parameter, "Emulator.state: unknown population");
    const Group& g = impl_->groups[population];
    const bool voltage = variable == "v";
    if (g.source || !(voltage || variable == "u"))
        throw Error(ErrorCode::invalid_parameter, "Emulator.state: population '" + impl_->net.populations[population].name +
                                                      "' has no state '" + std::string(variable) + "' (compartments have 'u' and 'v')");
    std::vector<std::int64_t> out;
    for (const Int& x : voltage ? g.v : g.u) out.push_back(x.value);
    return out;
}

} // namespace spikegraph::loihi
