#pragma once
// The CPU engine. Compile: validate, estimate memory, resolve connectivity into synapse tables,
// size the input rings, draw initial values. Each thread owns one contiguous range of every
// population (the same ranges the synapse tables are partitioned by), and each step n it
//   1. applies step currents that change at t = n dt to its neurons' bias currents;
//   2. advances its neurons (reading and clearing input slot n) and source neurons, and writes
//      their sampled state;
//   3. keeps the spikes of its ranges for the recording (merged when run returns);
//   -- barrier: every spike of step n is known --
//   4. delivers the spikes of step n into slots n + delay of the targets it owns.
// Step 4 writes only the thread's own targets and step 2 of the next step reads only them, so
// one barrier per step suffices. Spikes emitted in step n carry the time (n + 1) dt.
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include <algorithm>
#include <array>
#include <atomic>

#include <tbb/info.h>

#include "backends/cpu/engine.hpp"
#include "backends/cpu/memory.hpp"
#include "backends/cpu/neuron_population.hpp"
#include "backends/cpu/parallel.hpp"
#include "backends/cpu/projection_runtime.hpp"
#include "backends/cpu/recorders.hpp"
#include "backends/cpu/source_factory.hpp"
#include "backends/cpu/thread_team.hpp"
#include "core/error.hpp"
#include "core/synapse_table.hpp"
#include "neurons/models.hpp"

namespace spikegraph::cpu {

namespace detail {

inline std::string gib(double bytes) { return format_number(std::round(bytes / (1 << 30) * 100.0) / 100.0) + " GiB"; }

template <class Model, class T>
std::unique_ptr<Population<T>> make_neuron_population(const PopulationSpec& spec, std::uint32_t index, double dt,
                                                      Seed seed) {
    const ModelInfo& info = Model::info();
    std::vector<std::vector<double>> initial;
    for (std::size_t v = 0; v < info.state.size(); ++v) {
        const StateVarInfo& var = info.state[v];
        const double fallback = var.initial_from.empty() ? 0.0 : param_or_default(info, spec.params, var.initial_from);
        initial.push_back(population_values(spec, index, var.name, fallback, static_cast<std::uint32_t>(v), seed));
    }
    const double offset_default = param_or_default(info, spec.params, "i_offset");
    const std::vector<double> offset = population_values(spec, index, "i_offset", offset_default, parameter_slot, seed);
    return std::make_unique<NeuronPopulation<Model, T>>(params_from_map<Model>(spec.params), dt, initial, offset);
}

template <class T, class... Models>
std::unique_ptr<Population<T>> make_population(TypeList<Models...>, const PopulationSpec& spec, std::uint32_t index,
                                               double dt, Seed seed) {
    std::unique_ptr<Population<T>> result;
    ((spec.model == &Models::info() ? (result = make_neuron_population<Models, T>(spec, index, dt, seed), true) : false) ||
     ...);
    if (result) return result;
    if (auto source = make_spike_source<T>(spec, index, dt, seed)) return source;
    if (spec.model == &StepCurrentSource::info() || spec.model == &PoissonGenerator::info())
        return nullptr; // acts through injections, or through its projections
    throw Error(ErrorCode::backend_unavailable,
                "the cpu backend cannot run model '" + std::string(spec.model->name) + "' of '" + spec.name + "'");
}

} // namespace detail

template <class T>
class Engine final : public Executable {
public:
    Engine(const Network& network, const CompileOptions& options)
        : network_(network), options_(options), dt_(options.dt),
          threads_(options.threads > 0 ? options.threads : tbb::info::default_concurrency()) {
        const auto start = std::chrono::steady_clock::now();
        check_memory();
        in_arena(threads_, [&] { build(); });
        team_ = std::make_unique<ThreadTeam>(threads_);
        active_threads_ = threads_;
        build_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }

    void run(double duration, const ProgressCallback& progress) override {
        if (!(std::isfinite(duration) && duration >= 0.0))
            fail_parameter("run", "duration", duration, "ms", "it must be a finite time >= 0");
        const double exact = duration / dt_;
        if (static_cast<double>(steps_) + exact > 0x1.0p40) // random counters address steps with 40 bits
            fail_parameter("run", "duration", duration, "ms",
                           "the run would exceed 2^40 time steps of dt = " + format_number(dt_) + " ms");
        const Step steps = std::llround(exact);
        if (std::fabs(exact - static_cast<double>(steps)) > 1e-6)
            fail_parameter("run", "duration", duration, "ms",
                           "it is not a whole number of time steps (dt = " + format_number(dt_) + " ms)");
        if (running_.exchange(true))
            throw Error(ErrorCode::invalid_parameter, "run: this simulation is already running (in another thread)");
        struct Release {
            std::atomic<bool>& flag;
            ~Release() { flag.store(false); }
        } release{running_};
        const auto start = std::chrono::steady_clock::now();
        auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
        for (const auto& recorder : state_recorders_) recorder.prepare(steps_ + steps, recording_);
        for (const auto& recorder : weight_recorders_) recorder.prepare(steps_ + steps, recording_);
        std::exception_ptr interrupted;
        std::mutex failure_mutex;
        Step done = 0;
        auto last_report = start;
        // Advances `count` steps with `active` threads; false once a progress callback has thrown.
        auto advance = [&](Step count, int active) {
            alignas(64) std::atomic<bool> stop{false}; // own cache lines: written by one thread, read by all
            alignas(64) Step executed = 0;
            const Step first = steps_;
            // Any failure (a throwing progress callback, Ctrl-C, or an allocation failing) is
            // recorded and raises the stop flag; the failing thread skips its work but still meets
            // the others at every barrier, so the team never deadlocks and all stop together.
            auto fail = [&](std::exception_ptr error) {
                std::lock_guard<std::mutex> lock(failure_mutex);
                if (!interrupted) interrupted = error;
                stop.store(true, std::memory_order_relaxed);
            };
            team_->run([&, count, first, active](int thread) {
                ScopedFlushToZero flush_to_zero;
                bool failed = false;
                for (Step i = 0; i < count; ++i) {
                    const Step n = first + i;
                    if (!failed) try {
                        update(thread, active, n);
                    } catch (...) {
                        failed = true;
                        fail(std::current_exception());
                    }
                    if (thread == 0 && progress && (i & 63) == 63) { // a callback may throw (Ctrl-C): stop cleanly
                        const auto now = std::chrono::steady_clock::now();
                        if (now - last_report > std::chrono::milliseconds(250)) {
                            last_report = now;
                            try {
                                progress(done + i + 1, steps, elapsed());
                            } catch (...) {
                                fail(std::current_exception());
                            }
                        }
                    }
                    team_->barrier(thread);
                    const bool stopping = stop.load(std::memory_order_relaxed); // set before the barrier
                    if (!failed) try {
                        deliver(thread, active, n);
                    } catch (...) {
                        failed = true;
                        fail(std::current_exception());
                    }
                    if (thread == 0) executed = i + 1;
                    if (stopping) break;
                }
            }, active);
            steps_ += executed;
            done += executed;
            return !interrupted;
        };
        // The first long run measures whether all threads beat one: for a small network the
        // synchronisation of every step can cost more than the shared work saves. Results do not
        // depend on the choice.
        constexpr Step probe = 128;
        bool going = true;
        if (!calibrated_ && threads_ > 1 && steps >= 16 * probe) {
            double all = 1e300, one = 1e300;
            for (int round = 0; round < 2 && going; ++round) {
                for (int active : {threads_, 1}) {
                    const auto t0 = std::chrono::steady_clock::now();
                    going = going && advance(probe, active);
                    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                    (active == 1 ? one : all) = std::min(active == 1 ? one : all, seconds);
                }
            }
            active_threads_ = one < all ? 1 : threads_;
            calibrated_ = true;
        }
        if (going) advance(steps - done, active_threads_);
        for (auto& recorder : spike_recorders_) recorder.flush(recording_);
        wall_seconds_ += elapsed();
        for (const auto& recorder : state_recorders_) recorder.prepare(steps_, recording_); // drop unused rows
        for (const auto& recorder : weight_recorders_) recorder.prepare(steps_, recording_);
        if (interrupted) std::rethrow_exception(interrupted);
        if (progress) progress(steps, steps, elapsed());
    }

    double time() const override { return static_cast<double>(steps_) * dt_; }
    const Recording& recording() const override { return recording_; }
    const Network& network() const override { return network_; }

    RunInfo run_info() const override {
        return RunInfo{"cpu", options_.precision, dt_, steps_, options_.seed, threads_, wall_seconds_};
    }

    std::vector<double> state(PopulationId id, std::string_view variable) const override {
        const PopulationSpec& spec = network_.population(id);
        for (std::size_t v = 0; v < spec.model->state.size(); ++v) {
            if (spec.model->state[v].name != variable) continue;
            const T* values = populations_[id.value]->variable(v);
            std::vector<double> out(spec.size);
            for (Index k = 0; k < spec.size; ++k) out[k] = num::to_real(values[k]);
            return out;
        }
        std::string known;
        for (const auto& var : spec.model->state) known += (known.empty() ? "'" : ", '") + std::string(var.name) + "'";
        throw Error(ErrorCode::invalid_parameter, "population '" + spec.name + "': '" + std::string(variable) +
                                                      "' is not a state variable (known: " +
                                                      (known.empty() ? std::string("none") : known) + ")");
    }

    // Synapses in a canonical order, whatever the partitioning (and so the thread count):
    // by presynaptic neuron, then delay and target; synapses alike in all three keep the order
    // they were made in. set_weights takes the weights in the same order.
    SynapseList synapses(ProjectionId id) const override {
        const ProjectionRuntime& projection = projections_.at(id.value);
        SynapseList list;
        for (const auto& [pre, part, s] : canonical_order(id)) {
            const SynapseTable& t = projection.partitions()[part];
            list.pre.push_back(pre);
            list.post.push_back(t.target(s));
            list.weight.push_back(projection.weight(part, s));
            list.delay.push_back(t.delay(s) * dt_);
        }
        return list;
    }

    void set_weights(ProjectionId id, const std::vector<double>& weights) override {
        if (running_.load()) throw Error(ErrorCode::invalid_parameter, "set_weights: the simulation is running");
        const ProjectionSpec& spec = network_.projection(id);
        const std::string object = "projection '" + spec.name + "'";
        const auto order = canonical_order(id);
        if (weights.size() != order.size())
            throw Error(ErrorCode::invalid_parameter, object + ": " + std::to_string(weights.size()) +
                                                          " weights given for " + std::to_string(order.size()) + " synapses");
        const bool non_negative = network_.population(spec.post).model->conductance_based;
        const double limit = weight_limits_.at(id.value);
        for (std::size_t k = 0; k < weights.size(); ++k) {
            const double w = weights[k];
            const std::string field = "weight[" + std::to_string(k) + "]";
            if (!std::isfinite(w)) fail_parameter(object, field, w, "", "weights must be finite");
            if (non_negative && w < 0.0) fail_parameter(object, field, w, "uS", "conductance-based synapses need weights >= 0");
            if (std::fabs(w) > limit)
                fail_parameter(object, field, w, "",
                               "the compiled network's input buffers hold weights up to |w| = " + format_number(limit) +
                                   " (the largest weight, or plasticity bound, at compile time)");
        }
        auto& parts = projections_.at(id.value).weight_tables();
        for (std::size_t k = 0; k < weights.size(); ++k) {
            const auto& [pre, part, s] = order[k];
            parts[part].weight[s] = static_cast<float>(weights[k]);
        }
        projections_.at(id.value).weights_changed(steps_);
    }

    std::vector<ReportEntry> report() const override {
        double neurons = 0, synapse_bytes = 0, state_bytes = 0, synapses = 0, spikes = 0;
        for (const auto& spec : network_.populations())
            if (spec.model->kind == VertexKind::neuron) neurons += spec.size;
        for (const auto& projection : projections_) {
            synapses += static_cast<double>(projection.size());
            synapse_bytes += static_cast<double>(projection.bytes());
        }
        for (const auto& population : populations_)
            if (population) state_bytes += static_cast<double>(population->bytes());
        for (const auto& record : recording_.spikes) spikes += static_cast<double>(record.steps.size());
        return {{"neurons", neurons, ""},
                {"synapses", synapses, ""},
                {"synapse_memory", synapse_bytes, "bytes"},
                {"state_memory", state_bytes, "bytes"},
                {"threads", static_cast<double>(threads_), ""},
                {"active_threads", static_cast<double>(active_threads_), ""}, // chosen by the first long run
                {"compile_time", build_seconds_, "s"},
                {"run_time", wall_seconds_, "s"},
                {"steps", static_cast<double>(steps_), ""},
                {"recorded_spikes", spikes, ""}};
    }

protected:
    std::vector<std::uint64_t> synapse_counts() const override {
        std::vector<std::uint64_t> counts;
        for (const auto& projection : projections_) counts.push_back(projection.size());
        return counts;
    }

private:
    // Refuses, before anything is allocated, a network whose synapses, state and input rings
    // cannot fit.
    void check_memory() const {
        double synapses = 0.0, synapse_bytes = 0.0, bytes = 0.0;
        for (std::uint32_t p = 0; p < network_.projections().size(); ++p) {
            const double count = expected_synapse_count(network_, ProjectionId{p});
            synapses += count;
            synapse_bytes += count * bytes_per_synapse(network_, ProjectionId{p});
            // Row starts: one array over the presynaptic neurons per partition of the targets.
            const ProjectionSpec& projection = network_.projections()[p];
            const double n_post = network_.population(projection.post).size, n_pre = network_.population(projection.pre).size;
            const double partitions = static_cast<double>(target_bounds(static_cast<Index>(n_post), threads_).size() - 1);
            bytes += 8.0 * partitions * n_pre;
            if (projection.synapse.plasticity) {
                // Plastic state (plastic_synapses.hpp): columns, 8 B a synapse; per target and delay
                // group a column start and up to two postsynaptic traces; per partition up to two
                // traces per presynaptic neuron.
                const auto& delay = projection.synapse.delay;
                const double groups = !delay || std::holds_alternative<double>(*delay)
                                          ? 1.0
                                          : std::clamp(std::round(delay_bound(projection) / dt_), 1.0, std::max(1.0, count));
                bytes += 8.0 * count + 24.0 * n_post * groups + 16.0 * partitions * n_pre;
            }
        }
        bytes += synapse_bytes;
        for (std::uint32_t p = 0; p < network_.populations().size(); ++p) {
            const PopulationSpec& spec = network_.populations()[p];
            bytes += static_cast<double>(spec.size) * (static_cast<double>(spec.model->state.size() + 2) * sizeof(T) + 8.0);
            for (int r = 0; r < static_cast<int>(spec.model->receptors.size()); ++r) {
                double longest = 0.0; // ms
                for (ProjectionId id : network_.incoming(PopulationId{p}))
                    if (network_.projection(id).receptor == r) longest = std::max(longest, delay_bound(network_.projection(id)));
                if (longest > 0.0)
                    bytes += 8.0 * static_cast<double>(ring_slots(static_cast<std::uint32_t>(std::min(65535.0, std::round(longest / dt_))))) * spec.size;
            }
        }
        const double limit = options_.memory_limit > 0.0 ? options_.memory_limit : 0.9 * available_memory_bytes();
        if (bytes > limit)
            throw Error(ErrorCode::hardware_constraint,
                        "the network does not fit: it needs an estimated " + gib(bytes) + " (" +
                            std::to_string(static_cast<std::uint64_t>(std::round(synapses))) + " synapses taking " +
                            gib(synapse_bytes) + ", plus neuron state and input buffers) but " +
                            (options_.memory_limit > 0.0 ? "the memory limit is " : "this machine has ") + gib(limit) +
                            (options_.memory_limit > 0.0 ? "" : " available") +
                            "; reduce its size or connectivity, or run on a larger machine");
    }

    // The longest delay a projection can have [ms] (mean + 8 sd for unbounded distributions).
    double delay_bound(const ProjectionSpec& projection) const {
        double longest = 0.0;
        if (const auto* list = std::get_if<FromList>(&projection.connector))
            for (double d : list->delays) longest = std::max(longest, d);
        if (const auto* sparse = std::get_if<FromSparseMatrix>(&projection.connector))
            for (double d : sparse->delays) longest = std::max(longest, d);
        if (const auto* dense = std::get_if<FromDenseMatrix>(&projection.connector))
            for (double d : dense->delays) longest = std::max(longest, d);
        if (!projection.synapse.delay) return std::max(longest, dt_); // one step
        const ValueSpec& d = *projection.synapse.delay;
        if (const auto* constant = std::get_if<double>(&d)) return std::max(longest, *constant);
        if (const auto* values = std::get_if<std::vector<double>>(&d))
            for (double v : *values) longest = std::max(longest, v);
        if (const auto* distribution = std::get_if<Distribution>(&d)) {
            const double top = distribution->support_max();
            longest = std::max(longest, std::isfinite(top) ? top : distribution->a + 8.0 * distribution->b);
        }
        return longest;
    }

    static std::string gib(double bytes) { return detail::gib(bytes); }

    void build() {
        const Seed seed = options_.seed;
        const auto& specs = network_.populations();
        for (std::uint32_t p = 0; p < specs.size(); ++p) {
            populations_.push_back(detail::make_population<T>(NeuronModels{}, specs[p], p, dt_, seed));
            bounds_.push_back(target_bounds(specs[p].size, threads_));
            max_ranges_ = std::max(max_ranges_, ranges(p));
        }
        spikes_.resize(specs.size());
        spike_lists_.resize(specs.size());
        for (std::size_t p = 0; p < specs.size(); ++p)
            for (int parity = 0; parity < 2; ++parity) {
                spikes_[p][parity].resize(static_cast<std::size_t>(ranges(p)));
                for (auto& list : spikes_[p][parity]) list.spikes.reserve(256);
                for (const auto& list : spikes_[p][parity]) spike_lists_[p][parity].push_back(&list.spikes);
            }

        // Connectivity first: the input rings are sized from the tables (max delay, in-degree, |w|).
        // Each projection is split by target range into one partition per thread.
        std::vector<std::vector<SynapseTable>> tables;
        for (std::uint32_t p = 0; p < network_.projections().size(); ++p) {
            const Index n_post = network_.population(network_.projections()[p].post).size;
            tables.push_back(build_synapse_tables(network_, ProjectionId{p}, seed, dt_, target_bounds(n_post, threads_)));
        }
        // Poisson generators can deliver many events per synapse and step: their largest count
        // multiplies the bound on a slot's sum.
        std::vector<std::optional<GeneratorDrive>> drives;
        weight_limits_.assign(tables.size(), 0.0);
        for (std::uint32_t p = 0; p < tables.size(); ++p) drives.push_back(generator_drive(p, tables[p]));
        std::vector<bool> listed(tables.size(), false); // deliver through lists (pending_runs.hpp)
        for (std::uint32_t p = 0; p < specs.size(); ++p) {
            if (specs[p].model->kind != VertexKind::neuron) continue;
            std::vector<RingShape> shapes(specs[p].model->receptors.size());
            bool narrow = std::is_same_v<T, float>; // double populations keep int64 slots
            for (int r = 0; r < static_cast<int>(shapes.size()); ++r) {
                double bound = 0.0, smallest_weight = std::numeric_limits<double>::infinity();
                std::uint32_t max_delay = 0;
                for (ProjectionId id : network_.incoming(PopulationId{p})) {
                    if (network_.projection(id).receptor != r) continue;
                    std::uint32_t in_degree = 0;
                    double weight = 0.0;
                    for (const SynapseTable& part : tables[id.value]) {
                        in_degree = std::max(in_degree, part.max_in_degree); // a target lies in one partition
                        weight = std::max(weight, part.max_abs_weight);
                        max_delay = std::max(max_delay, part.max_delay);
                    }
                    const double events = drives[id.value] ? static_cast<double>(drives[id.value]->thresholds.size()) : 1.0;
                    if (const auto& plasticity = network_.projection(id).synapse.plasticity) // weights move within the rule's bounds
                        weight = std::max(weight, plastic_weight_bound(*plasticity));
                    weight_limits_[id.value] = weight;
                    bound += static_cast<double>(in_degree) * weight * events;
                    if (in_degree > 0) smallest_weight = std::min(smallest_weight, weight);
                }
                if (max_delay == 0) continue; // nothing projects onto this receptor
                shapes[r] = RingShape{max_delay, bound};
                narrow = narrow && int32_slots_suffice(bound, smallest_weight);
            }
            // A projection whose delays vary, onto a ring that would hold more than an eighth of a
            // core's cache per partition (which every ring, table and state array share), lets its
            // synapses wait in lists and adds them at arrival, in the slot of the next step: the
            // ring then needs only the delays of the others, and stays in cache.
            constexpr double cache_share = 256 << 10;
            for (int r = 0; r < static_cast<int>(shapes.size()); ++r) {
                const double full = static_cast<double>(ring_slots(shapes[r].max_delay)) * specs[p].size * (narrow ? 4 : 8);
                std::uint32_t depth = 1;
                for (ProjectionId id : network_.incoming(PopulationId{p})) {
                    if (network_.projection(id).receptor != r) continue;
                    const bool generator = drives[id.value].has_value(), plastic = network_.projection(id).synapse.plasticity.has_value();
                    listed[id.value] = ProjectionRuntime::listable(tables[id.value], generator, plastic) &&
                                       full / static_cast<double>(tables[id.value].size()) > cache_share;
                    depth = std::max(depth, ProjectionRuntime::ring_delay(tables[id.value], generator, listed[id.value]));
                }
                shapes[r].max_delay = depth;
            }
            populations_[p]->make_rings(shapes, narrow);
        }
        for (std::uint32_t p = 0; p < tables.size(); ++p) {
            const ProjectionSpec& spec = network_.projections()[p];
            std::unique_ptr<Plasticity> plasticity = make_projection_plasticity(spec, tables[p]);
            projections_.emplace_back(std::move(tables[p]), spec.pre.value, spec.post.value,
                                      populations_[spec.post.value]->ring(spec.receptor), std::move(drives[p]),
                                      std::move(plasticity), listed[p]);
        }
        build_injections();
        build_recorders();
        build_weight_recorders();
    }

    struct SynapseRef {
        Index pre;
        std::uint32_t partition;
        std::uint64_t synapse;
    };
    std::vector<SynapseRef> canonical_order(ProjectionId id) const {
        const auto& parts = projections_.at(id.value).partitions();
        std::vector<SynapseRef> order, row;
        for (Index pre = 0; pre < parts.front().n_pre; ++pre) {
            row.clear();
            for (std::uint32_t p = 0; p < parts.size(); ++p)
                for (std::uint64_t s = parts[p].row_start[pre]; s < parts[p].row_start[pre + 1]; ++s) row.push_back({pre, p, s});
            std::stable_sort(row.begin(), row.end(), [&](const SynapseRef& a, const SynapseRef& b) {
                const SynapseTable &ta = parts[a.partition], &tb = parts[b.partition];
                if (ta.delay(a.synapse) != tb.delay(b.synapse)) return ta.delay(a.synapse) < tb.delay(b.synapse);
                return ta.target(a.synapse) < tb.target(b.synapse);
            });
            order.insert(order.end(), row.begin(), row.end());
        }
        return order;
    }

    // The largest |weight| a rule lets a synapse reach (the input rings are sized for it).
    static double plastic_weight_bound(const PlasticitySpec& spec) {
        double bound = 0.0;
        for (std::string_view field : {"w_min", "w_max"})
            if (spec.rule->find_param(field)) bound = std::max(bound, std::fabs(param_or_default(*spec.rule, spec.params, field)));
        return bound;
    }

    // The rule of a plastic projection, after checking its axonal delay against the synapses' delays.
    std::unique_ptr<Plasticity> make_projection_plasticity(const ProjectionSpec& spec, const std::vector<SynapseTable>& tables) const {
        if (!spec.synapse.plasticity) return nullptr;
        const PlasticitySpec& plasticity = *spec.synapse.plasticity;
        const std::string object = "projection '" + spec.name + "' plasticity (" + std::string(plasticity.rule->name) + ")";
        std::uint32_t low = ~0u;
        for (const SynapseTable& t : tables)
            for (std::uint64_t s = 0; s < t.size(); ++s) low = std::min(low, t.delay(s));
        if (low == ~0u) low = 1; // no synapses
        const double axonal_steps = plasticity.axonal_delay / dt_;
        const auto axonal = static_cast<std::uint32_t>(std::llround(axonal_steps));
        if (std::fabs(axonal_steps - axonal) > 1e-6 || axonal >= low)
            fail_parameter(object, "axonal_delay", plasticity.axonal_delay, "ms",
                           "it must be a whole number of steps (dt = " + format_number(dt_) + " ms) below the shortest delay, " +
                               format_number(low * dt_) + " ms");
        return make_plasticity<T>(plasticity, tables, dt_, axonal, object);
    }

    // The Poisson counts of a projection from a poisson_generator; none for other projections.
    std::optional<GeneratorDrive> generator_drive(std::uint32_t projection, const std::vector<SynapseTable>& tables) const {
        const ProjectionSpec& spec = network_.projections()[projection];
        const PopulationSpec& pre = network_.population(spec.pre);
        if (pre.model != &PoissonGenerator::info()) return std::nullopt;
        const auto params = params_from_map<PoissonGenerator>(pre.params);
        const double lambda = params.rate * dt_ * 1e-3;
        if (pre.size >= (1u << 24))
            fail_parameter("source '" + pre.name + "'", "size", pre.size, "",
                           "a poisson_generator population holds fewer than 2^24 generators");
        if (lambda > 1000.0)
            fail_parameter("source '" + pre.name + "'", "rate", params.rate, "Hz",
                           "more than 1000 events per step for one synapse (dt = " + format_number(dt_) + " ms)");
        // Every (generator, target) pair has one synapse: its draws are addressed by the pair.
        std::vector<Index> targets;
        for (const SynapseTable& part : tables)
            for (Index g = 0; g < part.n_pre; ++g) {
                targets.clear();
                for (std::uint64_t s = part.row_start[g]; s < part.row_start[g + 1]; ++s) targets.push_back(part.target(s));
                std::sort(targets.begin(), targets.end());
                const auto twice = std::adjacent_find(targets.begin(), targets.end());
                if (twice != targets.end())
                    throw Error(ErrorCode::invalid_network,
                                "projection '" + spec.name + "': generator " + std::to_string(g) + " of '" + pre.name +
                                    "' has two synapses onto neuron " + std::to_string(*twice) +
                                    ", which would receive the same train; connect each target once");
            }
        return GeneratorDrive{poisson_thresholds(lambda), first_step_at_or_after(params.start, dt_),
                              first_step_at_or_after(params.stop, dt_), options_.seed, projection, {}};
    }

    // Step-current changes as (step, injection, change of current), in time order.
    void build_injections() {
        for (std::size_t i = 0; i < network_.injections().size(); ++i) {
            const InjectionSpec& injection = network_.injections()[i];
            const auto params = params_from_map<StepCurrentSource>(network_.population(injection.source).params);
            double previous = 0.0;
            for (std::size_t j = 0; j < params.times.size(); ++j) {
                injection_events_.push_back({first_step_at_or_after(params.times[j], dt_), i, params.amplitudes[j] - previous});
                previous = params.amplitudes[j];
            }
        }
        std::stable_sort(injection_events_.begin(), injection_events_.end(),
                         [](const InjectionEvent& a, const InjectionEvent& b) { return a.step < b.step; });
    }

    void build_weight_recorders() {
        for (const WeightRecordSpec& spec : network_.weight_records()) {
            const ProjectionSpec& projection = network_.projection(spec.projection);
            const double exact = spec.interval / dt_;
            const Step interval = std::llround(exact);
            if (interval < 1 || std::fabs(exact - static_cast<double>(interval)) > 1e-6)
                fail_parameter("weight recording of '" + projection.name + "'", "interval", spec.interval, "ms",
                               "it must be a whole number of time steps (dt = " + format_number(dt_) + " ms)");
            const auto& parts = projections_[spec.projection.value].weight_tables(); // read at every step
            WeightRecord record{projection.name, {}, {}, interval, {}, {}};
            std::vector<std::vector<std::uint32_t>> column(parts.size());
            for (std::size_t p = 0; p < parts.size(); ++p) column[p].resize(parts[p].size());
            const auto order = canonical_order(spec.projection);
            for (std::size_t k = 0; k < order.size(); ++k) {
                column[order[k].partition][order[k].synapse] = static_cast<std::uint32_t>(k);
                record.pre.push_back(order[k].pre);
                record.post.push_back(parts[order[k].partition].target(order[k].synapse));
            }
            weight_recorders_.emplace_back(spec.projection.value, recording_.weights.size(), interval, std::move(column));
            recording_.weights.push_back(std::move(record));
        }
    }

    void build_recorders() {
        for (const RecordSpec& spec : network_.records()) {
            const PopulationSpec& population = network_.population(spec.population);
            if (spec.variable == "spikes") {
                spike_recorders_.emplace_back(spec.population.value, recording_.spikes.size(), spec.neurons, population.size,
                                              ranges(spec.population.value));
                recording_.spikes.push_back(
                    SpikeRecord{population.name, population.size, all_or(spec.neurons, population.size), {}, {}});
                continue;
            }
            Step interval = 1;
            if (spec.interval > 0.0) {
                const double exact = spec.interval / dt_;
                interval = std::llround(exact);
                if (interval < 1 || std::fabs(exact - static_cast<double>(interval)) > 1e-6)
                    fail_parameter("recording of '" + population.name + "." + spec.variable + "'", "interval", spec.interval,
                                   "ms", "it must be a whole number of time steps (dt = " + format_number(dt_) + " ms)");
            }
            std::size_t variable = 0;
            while (population.model->state[variable].name != spec.variable) ++variable;
            const std::vector<Index> neurons = all_or(spec.neurons, population.size);
            state_recorders_.emplace_back(spec.population.value, variable, recording_.states.size(), interval, neurons,
                                          bounds_[spec.population.value]);
            recording_.states.push_back(StateRecord{population.name, spec.variable,
                                                    std::string(population.model->state[variable].unit), neurons, interval,
                                                    {}, {}});
        }
    }

    // Ranges of population p: one per thread, or a multiple of the thread count for populations
    // above 65,536 neurons per thread (every range then gets 16-bit synapse targets).
    int ranges(std::size_t p) const { return static_cast<int>(bounds_[p].size()) - 1; }

    // Steps 1 to 3 of the loop for the calling thread's ranges: ranges thread, thread + active, ...
    void update(int thread, int active, Step n) {
        for (int range = thread; range < max_ranges_; range += active) update_range(range, n);
    }

    void update_range(int range, Step n) {
        const auto [first_event, last_event] =
            std::equal_range(injection_events_.begin(), injection_events_.end(), InjectionEvent{n, 0, 0.0},
                             [](const InjectionEvent& a, const InjectionEvent& b) { return a.step < b.step; });
        for (auto event_it = first_event; event_it != last_event; ++event_it) {
            const InjectionEvent& event = *event_it;
            const InjectionSpec& injection = network_.injections()[event.injection];
            const std::vector<Index>& bounds = bounds_[injection.target.value];
            if (static_cast<std::size_t>(range) + 1 >= bounds.size()) continue;
            const Index begin = bounds[range], end = bounds[range + 1];
            Population<T>& target = *populations_[injection.target.value];
            if (injection.neurons.empty()) {
                for (Index k = begin; k < end; ++k) target.add_injected_current(k, event.delta);
            } else {
                for (Index k : injection.neurons)
                    if (k >= begin && k < end) target.add_injected_current(k, event.delta);
            }
        }
        const int parity = static_cast<int>(n & 1);
        for (std::size_t p = 0; p < populations_.size(); ++p) {
            const std::vector<Index>& bounds = bounds_[p];
            if (!populations_[p] || static_cast<std::size_t>(range) + 1 >= bounds.size()) continue;
            std::vector<Index>& out = spikes_[p][parity][range].spikes;
            out.clear();
            populations_[p]->update(n, bounds[range], bounds[range + 1], out);
            for (auto& recorder : spike_recorders_)
                if (recorder.population() == p) recorder.collect(range, n, out);
        }
        for (const auto& recorder : state_recorders_)
            recorder.collect(range, n, *populations_[recorder.population()], recording_);
    }

    // Step 4: after the barrier, the spike lists of every range for step n are complete.
    void deliver(int thread, int active, Step n) {
        const int parity = static_cast<int>(n & 1);
        for (int range = thread; range < max_ranges_; range += active) {
            for (auto& projection : projections_) {
                const auto& post_lists = spike_lists_[projection.post()][parity];
                const std::vector<Index>* post_spikes =
                    projection.plastic() && static_cast<std::size_t>(range) < post_lists.size() ? post_lists[range] : nullptr;
                projection.deliver(static_cast<std::size_t>(range), spike_lists_[projection.pre()][parity].data(),
                                   ranges(projection.pre()), post_spikes, n);
            }
            for (const auto& recorder : weight_recorders_)
                recorder.collect(static_cast<std::size_t>(range), n, projections_[recorder.projection()].partitions(), recording_);
        }
    }

    struct InjectionEvent {
        Step step;
        std::size_t injection;
        double delta; // change of the injected current [nA]
    };

    Network network_;
    CompileOptions options_;
    double dt_;
    int threads_;              // threads of the team (and the least number of ranges per population)
    int max_ranges_ = 1;       // the most ranges (and synapse partitions) of any population
    int active_threads_ = 0;   // threads that run the step loop (set by the first long run)
    bool calibrated_ = false;
    std::atomic<bool> running_{false}; // run() is not reentrant
    std::unique_ptr<ThreadTeam> team_;
    std::vector<std::unique_ptr<Population<T>>> populations_; // by PopulationId; null for current sources
    std::vector<std::vector<Index>> bounds_;                   // per population, its thread ranges
    // Spikes of the current and the previous step, per population, parity and thread; the
    // previous step's lists are still read while the next step fills the others.
    struct alignas(64) SpikeList { // a cache line of its own: each thread writes only its own list
        std::vector<Index> spikes;
    };
    std::vector<std::array<std::vector<SpikeList>, 2>> spikes_;
    std::vector<std::array<std::vector<const std::vector<Index>*>, 2>> spike_lists_; // pointers into spikes_
    std::vector<ProjectionRuntime> projections_; // by ProjectionId
    std::vector<double> weight_limits_;          // by ProjectionId: the largest |w| the input rings carry
    std::vector<InjectionEvent> injection_events_;
    std::vector<SpikeRecorder> spike_recorders_;
    std::vector<StateRecorder> state_recorders_;
    std::vector<WeightRecorder> weight_recorders_;
    Recording recording_;
    Step steps_ = 0;
    double build_seconds_ = 0.0;
    double wall_seconds_ = 0.0;
};

template <class T>
std::unique_ptr<Executable> make_engine(const Network& network, const CompileOptions& options) {
    return std::make_unique<Engine<T>>(network, options);
}

} // namespace spikegraph::cpu
