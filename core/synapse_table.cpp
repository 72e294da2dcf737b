#include "core/synapse_table.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <unordered_set>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "core/error.hpp"

namespace spikegraph {

std::size_t SynapseTable::bytes() const {
    return row_start.size() * sizeof(std::uint64_t) + target16.size() * sizeof(std::uint16_t) +
           target32.size() * sizeof(std::uint32_t) + weight.size() * sizeof(float) + delay8.size() +
           delay16.size() * sizeof(std::uint16_t);
}

namespace {

// One synapse while its row is being assembled.
struct Staged {
    std::uint32_t partner; // target for row-wise units, source for column-wise units
    float weight;
    std::uint16_t delay; // steps
};

constexpr std::uint64_t global_block = 1ull << 62; // stream blocks for draws not tied to a row

// k distinct values from [0, n), appended to `out` (order depends only on the stream).
void sample_distinct(RandomStream& stream, std::uint64_t n, std::uint64_t k, std::vector<std::uint32_t>& out) {
    if (k == 0) return;
    if (k * 3 >= n) { // selection sampling (Knuth's algorithm S): O(n), sorted output
        std::uint64_t needed = k;
        for (std::uint64_t i = 0; i < n && needed > 0; ++i)
            if (stream.below(n - i) < needed) {
                out.push_back(static_cast<std::uint32_t>(i));
                --needed;
            }
        return;
    }
    std::unordered_set<std::uint64_t> chosen; // Floyd's algorithm: O(k)
    chosen.reserve(2 * k);
    for (std::uint64_t j = n - k; j < n; ++j) {
        const std::uint64_t t = stream.below(j + 1);
        const std::uint64_t pick = chosen.insert(t).second ? t : j;
        if (pick == j) chosen.insert(j);
        out.push_back(static_cast<std::uint32_t>(pick));
    }
}

// Largest delay a specification can produce [ms]; infinity when unbounded.
double max_delay_ms(const ValueSpec& spec) {
    if (const auto* d = std::get_if<double>(&spec)) return *d;
    if (const auto* list = std::get_if<std::vector<double>>(&spec))
        return list->empty() ? 0.0 : *std::max_element(list->begin(), list->end());
    return std::get<Distribution>(spec).support_max();
}

class Builder {
public:
    Builder(const Network& network, ProjectionId id, Seed seed, double dt)
        : network_(network), spec_(network.projection(id)), seed_(seed), dt_(dt), index_(id.value),
          object_("projection '" + spec_.name + "'"), n_pre_(network.population(spec_.pre).size),
          n_post_(network.population(spec_.post).size), same_(spec_.pre == spec_.post) {}

    SynapseTable build();

private:
    bool exclude_self(bool allow_self) const { return same_ && !allow_self; }
    static std::uint32_t skip_self(std::uint32_t candidate, Index self) {
        return candidate >= self ? candidate + 1 : candidate;
    }
    RandomStream stream(RandomPurpose purpose, Index unit, std::uint64_t first_block = 0) const {
        return RandomStream(seed_, index_, purpose, unit, first_block);
    }

    std::uint16_t to_steps(double delay_ms, std::uint64_t synapse) const;
    double draw_weight(RandomStream& stream, std::uint64_t list_index) const;
    std::uint16_t draw_delay(RandomStream& stream, std::uint64_t list_index) const;

    bool column_wise() const { return std::holds_alternative<FixedInDegree>(spec_.connector); }
    // Partners of one unit (targets of row u, or sources of column u): connectivity draws only.
    void partners(Index unit, std::vector<std::uint32_t>& out) const;
    // Full synapses of one unit: partners plus weights and delays.
    void synapses(Index unit, std::vector<std::uint32_t>& scratch, std::vector<Staged>& out) const;
    void total_number_counts();
    void list_rows(SynapseTable& table);
    void store(SynapseTable& table, std::uint64_t slot, std::uint32_t target, float weight, std::uint16_t delay) const;
    void sort_row(SynapseTable& table, Index row, std::vector<Staged>& scratch) const;
    void allocate(SynapseTable& table, std::uint64_t count) const;
    void finish(SynapseTable& table) const;

    const Network& network_;
    const ProjectionSpec& spec_;
    Seed seed_;
    double dt_;
    std::uint32_t index_;
    std::string object_;
    Index n_pre_, n_post_;
    bool same_;
    bool per_synapse_delays_ = false;
    bool narrow_delays_ = true;
    std::uint16_t constant_delay_ = 1;
    std::vector<std::uint64_t> row_counts_; // fixed_total_number: synapses per row
};

std::uint16_t Builder::to_steps(double delay_ms, std::uint64_t synapse) const {
    const std::string field = synapse == std::numeric_limits<std::uint64_t>::max()
                                  ? std::string("delay")
                                  : "delay of synapse " + std::to_string(synapse);
    if (!(delay_ms >= dt_ * (1.0 - 1e-9)))
        fail_parameter(object_, field, delay_ms, "ms",
                       "it is below one time step (dt = " + format_number(dt_) + " ms); delays are whole steps >= 1");
    const double steps = std::round(delay_ms / dt_);
    if (steps > 65535.0)
        fail_parameter(object_, field, delay_ms, "ms",
                       "it exceeds 65535 time steps of dt = " + format_number(dt_) + " ms");
    return static_cast<std::uint16_t>(std::max(1.0, steps));
}

double Builder::draw_weight(RandomStream& stream, std::uint64_t list_index) const {
    const ValueSpec& w = spec_.synapse.weight;
    if (const auto* constant = std::get_if<double>(&w)) return *constant;
    if (const auto* list = std::get_if<std::vector<double>>(&w)) return (*list)[list_index];
    const double value = std::get<Distribution>(w).sample(stream);
    return value;
}

std::uint16_t Builder::draw_delay(RandomStream& stream, std::uint64_t list_index) const {
    if (!spec_.synapse.delay) return 1;
    const ValueSpec& d = *spec_.synapse.delay;
    if (std::holds_alternative<double>(d)) return constant_delay_;
    if (const auto* list = std::get_if<std::vector<double>>(&d)) return to_steps((*list)[list_index], list_index);
    return to_steps(std::get<Distribution>(d).sample(stream), list_index);
}

void Builder::partners(Index unit, std::vector<std::uint32_t>& out) const {
    out.clear();
    struct Visit {
        const Builder& b;
        Index u;
        std::vector<std::uint32_t>& out;
        void operator()(const AllToAll& c) const {
            for (Index t = 0; t < b.n_post_; ++t)
                if (!(b.exclude_self(c.allow_self_connections) && t == u)) out.push_back(t);
        }
        void operator()(const OneToOne&) const { out.push_back(u); }
        void operator()(const FixedProbability& c) const {
            const bool skip = b.exclude_self(c.allow_self_connections);
            const double candidates = static_cast<double>(b.n_post_) - (skip ? 1.0 : 0.0);
            if (c.p <= 0.0 || candidates <= 0.0) return;
            if (c.p >= 1.0) {
                for (Index t = 0; t < b.n_post_; ++t)
                    if (!(skip && t == u)) out.push_back(t);
                return;
            }
            // Geometric skipping: the gap to the next synapse is geometric with parameter p.
            RandomStream s = b.stream(RandomPurpose::connectivity, u);
            const double log_q = std::log1p(-c.p);
            double position = -1.0;
            for (;;) {
                position += 1.0 + std::floor(std::log(s.uniform()) / log_q);
                if (position >= candidates) break;
                const auto candidate = static_cast<std::uint32_t>(position);
                out.push_back(skip ? skip_self(candidate, u) : candidate);
            }
        }
        void degree(std::uint64_t n, std::uint64_t size, bool skip, bool multapses, RandomPurpose purpose,
                    std::uint64_t block) const {
            RandomStream s = b.stream(purpose, u, block);
            const std::uint64_t candidates = size - (skip ? 1 : 0);
            const std::size_t first = out.size();
            if (multapses)
                for (std::uint64_t k = 0; k < n; ++k) out.push_back(static_cast<std::uint32_t>(s.below(candidates)));
            else
                sample_distinct(s, candidates, n, out);
            if (skip)
                for (std::size_t k = first; k < out.size(); ++k) out[k] = skip_self(out[k], u);
        }
        void operator()(const FixedInDegree& c) const {
            degree(c.n, b.n_pre_, b.exclude_self(c.allow_self_connections), c.allow_multapses,
                   RandomPurpose::connectivity, 0);
        }
        void operator()(const FixedOutDegree& c) const {
            degree(c.n, b.n_post_, b.exclude_self(c.allow_self_connections), c.allow_multapses,
                   RandomPurpose::connectivity, 0);
        }
        void operator()(const FixedTotalNumber& c) const {
            degree(b.row_counts_[u], b.n_post_, b.exclude_self(c.allow_self_connections), c.allow_multapses,
                   RandomPurpose::connectivity, 0);
        }
        void operator()(const FromDenseMatrix& c) const {
            const double* row = c.weights.data() + static_cast<std::uint64_t>(u) * c.cols;
            for (Index t = 0; t < c.cols; ++t)
                if (row[t] != 0.0) out.push_back(t);
        }
        void operator()(const FromSparseMatrix& c) const {
            for (std::uint64_t k = c.indptr[u]; k < c.indptr[u + 1]; ++k) out.push_back(c.indices[k]);
        }
        void operator()(const FromList&) const {}
    };
    std::visit(Visit{*this, unit, out}, spec_.connector);
}

void Builder::synapses(Index unit, std::vector<std::uint32_t>& scratch, std::vector<Staged>& out) const {
    partners(unit, scratch);
    out.clear();
    out.reserve(scratch.size());
    RandomStream weights = stream(RandomPurpose::weight, unit);
    RandomStream delays = stream(RandomPurpose::delay, unit);
    const auto* dense = std::get_if<FromDenseMatrix>(&spec_.connector);
    const auto* sparse = std::get_if<FromSparseMatrix>(&spec_.connector);
    for (std::size_t k = 0; k < scratch.size(); ++k) {
        double w;
        std::uint16_t d;
        if (dense) {
            const std::uint64_t cell = static_cast<std::uint64_t>(unit) * dense->cols + scratch[k];
            w = dense->weights[cell];
            d = dense->delays.empty() ? draw_delay(delays, 0) : to_steps(dense->delays[cell], cell);
        } else if (sparse) {
            const std::uint64_t entry = sparse->indptr[unit] + k;
            w = sparse->weights[entry];
            d = sparse->delays.empty() ? draw_delay(delays, 0) : to_steps(sparse->delays[entry], entry);
        } else {
            w = draw_weight(weights, 0);
            d = draw_delay(delays, 0);
        }
        if (!(std::fabs(w) <= std::numeric_limits<float>::max()))
            fail_parameter(object_, "weight", w, "", "it does not fit a 32-bit float");
        out.push_back(Staged{scratch[k], static_cast<float>(w), d});
    }
}

// fixed_total_number: how many of the n synapses start in each row. With multapses every synapse
// picks its row independently (a multinomial); without, the rows are drawn without replacement
// from the pairs still free (a multivariate hypergeometric), using a Fenwick tree over rows.
void Builder::total_number_counts() {
    const auto& c = std::get<FixedTotalNumber>(spec_.connector);
    const std::uint64_t per_row = n_post_ - (exclude_self(c.allow_self_connections) ? 1 : 0);
    row_counts_.assign(n_pre_, 0);
    RandomStream s = stream(RandomPurpose::connectivity, 0, global_block);
    if (c.allow_multapses) {
        for (std::uint64_t k = 0; k < c.n; ++k) ++row_counts_[s.below(n_pre_)];
        return;
    }
    std::vector<std::uint64_t> tree(n_pre_ + 1, 0); // remaining free pairs per row
    for (Index r = 1; r <= n_pre_; ++r) {
        tree[r] += per_row;
        const Index parent = r + (r & (~r + 1));
        if (parent <= n_pre_) tree[parent] += tree[r];
    }
    std::uint64_t remaining = static_cast<std::uint64_t>(n_pre_) * per_row;
    Index top = 1;
    while (top * 2 <= n_pre_) top *= 2;
    for (std::uint64_t k = 0; k < c.n; ++k, --remaining) {
        std::uint64_t pick = s.below(remaining);
        Index position = 0; // find the row whose cumulative range holds pick
        for (Index step = top; step > 0; step >>= 1) {
            const Index next = position + step;
            if (next <= n_pre_ && tree[next] <= pick) {
                position = next;
                pick -= tree[next];
            }
        }
        ++row_counts_[position];
        for (Index r = position + 1; r <= n_pre_; r += r & (~r + 1)) --tree[r];
    }
}

void Builder::allocate(SynapseTable& table, std::uint64_t count) const {
    if (table.narrow_targets())
        table.target16.resize(count);
    else
        table.target32.resize(count);
    table.weight.resize(count);
    if (per_synapse_delays_) {
        if (narrow_delays_)
            table.delay8.resize(count);
        else
            table.delay16.resize(count);
    }
}

void Builder::store(SynapseTable& table, std::uint64_t slot, std::uint32_t target, float weight,
                    std::uint16_t delay) const {
    if (table.narrow_targets())
        table.target16[slot] = static_cast<std::uint16_t>(target);
    else
        table.target32[slot] = target;
    table.weight[slot] = weight;
    if (!table.delay8.empty()) table.delay8[slot] = static_cast<std::uint8_t>(delay);
    if (!table.delay16.empty()) table.delay16[slot] = delay;
}

// Rows are ordered by (delay, target); the weight breaks ties between multapses, so the order is
// a function of the set of synapses alone.
void Builder::sort_row(SynapseTable& table, Index row, std::vector<Staged>& scratch) const {
    const std::uint64_t begin = table.row_start[row], end = table.row_start[row + 1];
    scratch.clear();
    for (std::uint64_t s = begin; s < end; ++s)
        scratch.push_back(Staged{table.target(s), table.weight[s], static_cast<std::uint16_t>(table.delay(s))});
    std::sort(scratch.begin(), scratch.end(), [](const Staged& a, const Staged& b) {
        if (a.delay != b.delay) return a.delay < b.delay;
        if (a.partner != b.partner) return a.partner < b.partner;
        return a.weight < b.weight;
    });
    for (std::uint64_t s = begin; s < end; ++s) {
        const Staged& x = scratch[s - begin];
        store(table, s, x.partner, x.weight, x.delay);
    }
}

void Builder::list_rows(SynapseTable& table) {
    const auto& list = std::get<FromList>(spec_.connector);
    const std::uint64_t count = list.pre.size();
    std::vector<std::uint64_t> cursor(n_pre_ + 1, 0);
    for (Index pre : list.pre) ++cursor[pre + 1];
    for (Index r = 0; r < n_pre_; ++r) cursor[r + 1] += cursor[r];
    table.row_start = cursor;
    allocate(table, count);
    RandomStream weights = stream(RandomPurpose::weight, 0);
    RandomStream delays = stream(RandomPurpose::delay, 0);
    for (std::uint64_t k = 0; k < count; ++k) {
        const double w = list.weights.empty() ? draw_weight(weights, k) : list.weights[k];
        if (!(std::fabs(w) <= std::numeric_limits<float>::max()))
            fail_parameter(object_, "weight[" + std::to_string(k) + "]", w, "", "it does not fit a 32-bit float");
        const std::uint16_t d = list.delays.empty() ? draw_delay(delays, k) : to_steps(list.delays[k], k);
        store(table, cursor[list.pre[k]]++, list.post[k], static_cast<float>(w), d);
    }
}

void Builder::finish(SynapseTable& table) const {
    // Sort every row, then gather the statistics the backends size their buffers from.
    tbb::enumerable_thread_specific<std::vector<Staged>> scratch;
    tbb::parallel_for(tbb::blocked_range<Index>(0, n_pre_, 256), [&](const tbb::blocked_range<Index>& rows) {
        auto& local = scratch.local();
        for (Index r = rows.begin(); r != rows.end(); ++r) sort_row(table, r, local);
    });
    std::vector<std::uint32_t> in_degree(n_post_, 0);
    float max_w = 0.0f;
    std::uint32_t max_d = per_synapse_delays_ ? 0 : constant_delay_;
    for (std::uint64_t s = 0; s < table.size(); ++s) {
        ++in_degree[table.target(s)];
        max_w = std::max(max_w, std::fabs(table.weight[s]));
        if (per_synapse_delays_) max_d = std::max(max_d, table.delay(s));
    }
    table.max_in_degree = in_degree.empty() ? 0 : *std::max_element(in_degree.begin(), in_degree.end());
    table.max_abs_weight = max_w;
    table.max_delay = std::max<std::uint32_t>(max_d, 1);
    table.uniform_delay = per_synapse_delays_ ? 0 : constant_delay_;
}

SynapseTable Builder::build() {
    SynapseTable table;
    table.n_pre = n_pre_;
    table.n_post = n_post_;

    // How delays are stored: one value for the projection, or 8 or 16 bits per synapse.
    const ValueSpec* delay = spec_.synapse.delay ? &*spec_.synapse.delay : nullptr;
    std::vector<double> connector_delays;
    if (const auto* list = std::get_if<FromList>(&spec_.connector)) connector_delays = list->delays;
    if (const auto* dense = std::get_if<FromDenseMatrix>(&spec_.connector)) {
        for (std::size_t i = 0; i < dense->delays.size(); ++i)
            if (dense->weights[i] != 0.0) connector_delays.push_back(dense->delays[i]);
    }
    if (const auto* sparse = std::get_if<FromSparseMatrix>(&spec_.connector)) connector_delays = sparse->delays;
    per_synapse_delays_ = !connector_delays.empty() || (delay && !std::holds_alternative<double>(*delay));
    if (delay && std::holds_alternative<double>(*delay)) constant_delay_ = to_steps(std::get<double>(*delay), ~0ull);
    if (per_synapse_delays_) {
        double largest = connector_delays.empty() ? 0.0 : *std::max_element(connector_delays.begin(), connector_delays.end());
        if (delay) largest = std::max(largest, max_delay_ms(*delay));
        narrow_delays_ = std::round(largest / dt_) <= 255.0;
    }

    if (std::holds_alternative<FromList>(spec_.connector)) {
        list_rows(table);
        finish(table);
        return table;
    }
    if (std::holds_alternative<FixedTotalNumber>(spec_.connector)) total_number_counts();

    tbb::enumerable_thread_specific<std::vector<std::uint32_t>> partner_scratch;
    tbb::enumerable_thread_specific<std::vector<Staged>> synapse_scratch;
    table.row_start.assign(static_cast<std::size_t>(n_pre_) + 1, 0);

    if (!column_wise()) {
        // Pass 1 counts each row (regenerating the same draws later costs less than holding them).
        tbb::parallel_for(tbb::blocked_range<Index>(0, n_pre_, 64), [&](const tbb::blocked_range<Index>& rows) {
            auto& scratch = partner_scratch.local();
            for (Index r = rows.begin(); r != rows.end(); ++r) {
                partners(r, scratch);
                table.row_start[r + 1] = scratch.size();
            }
        });
        for (Index r = 0; r < n_pre_; ++r) table.row_start[r + 1] += table.row_start[r];
        allocate(table, table.row_start.back());
        tbb::parallel_for(tbb::blocked_range<Index>(0, n_pre_, 64), [&](const tbb::blocked_range<Index>& rows) {
            auto& scratch = partner_scratch.local();
            auto& staged = synapse_scratch.local();
            for (Index r = rows.begin(); r != rows.end(); ++r) {
                synapses(r, scratch, staged);
                std::uint64_t slot = table.row_start[r];
                for (const Staged& s : staged) store(table, slot++, s.partner, s.weight, s.delay);
            }
        });
    } else {
        // Column-wise (fixed in-degree): count sources per row, then place each column's synapses
        // into its rows through atomic cursors; sorting the rows afterwards removes the order.
        std::vector<std::uint64_t> counts(n_pre_, 0);
        tbb::parallel_for(tbb::blocked_range<Index>(0, n_post_, 64), [&](const tbb::blocked_range<Index>& cols) {
            auto& scratch = partner_scratch.local();
            for (Index c = cols.begin(); c != cols.end(); ++c) {
                partners(c, scratch);
                for (std::uint32_t pre : scratch) std::atomic_ref<std::uint64_t>(counts[pre]).fetch_add(1, std::memory_order_relaxed);
            }
        });
        for (Index r = 0; r < n_pre_; ++r) table.row_start[r + 1] = table.row_start[r] + counts[r];
        allocate(table, table.row_start.back());
        std::vector<std::uint64_t> cursor(table.row_start.begin(), table.row_start.end() - 1);
        tbb::parallel_for(tbb::blocked_range<Index>(0, n_post_, 64), [&](const tbb::blocked_range<Index>& cols) {
            auto& scratch = partner_scratch.local();
            auto& staged = synapse_scratch.local();
            for (Index c = cols.begin(); c != cols.end(); ++c) {
                synapses(c, scratch, staged);
                for (const Staged& s : staged) {
                    const std::uint64_t slot =
                        std::atomic_ref<std::uint64_t>(cursor[s.partner]).fetch_add(1, std::memory_order_relaxed);
                    store(table, slot, c, s.weight, s.delay);
                }
            }
        });
    }
    finish(table);
    return table;
}

} // namespace

SynapseTable build_synapse_table(const Network& network, ProjectionId projection, Seed seed, double dt) {
    return Builder(network, projection, seed, dt).build();
}

double expected_synapse_count(const Network& network, ProjectionId projection) {
    const ProjectionSpec& spec = network.projection(projection);
    const double n_pre = network.population(spec.pre).size, n_post = network.population(spec.post).size;
    const bool same = spec.pre == spec.post;
    struct Count {
        double n_pre, n_post;
        bool same;
        double operator()(const AllToAll& c) const {
            return n_pre * n_post - (same && !c.allow_self_connections ? n_pre : 0.0);
        }
        double operator()(const OneToOne&) const { return n_pre; }
        double operator()(const FixedProbability& c) const {
            return c.p * (n_pre * n_post - (same && !c.allow_self_connections ? n_pre : 0.0));
        }
        double operator()(const FixedInDegree& c) const { return static_cast<double>(c.n) * n_post; }
        double operator()(const FixedOutDegree& c) const { return static_cast<double>(c.n) * n_pre; }
        double operator()(const FixedTotalNumber& c) const { return static_cast<double>(c.n); }
        double operator()(const FromList& c) const { return static_cast<double>(c.pre.size()); }
        double operator()(const FromDenseMatrix& c) const {
            return static_cast<double>(std::count_if(c.weights.begin(), c.weights.end(), [](double w) { return w != 0.0; }));
        }
        double operator()(const FromSparseMatrix& c) const { return static_cast<double>(c.indices.size()); }
    };
    return std::visit(Count{n_pre, n_post, same}, spec.connector);
}

double bytes_per_synapse(const Network& network, ProjectionId projection) {
    const ProjectionSpec& spec = network.projection(projection);
    const double target = network.population(spec.post).size <= 65536 ? 2.0 : 4.0;
    const bool varies = (spec.synapse.delay && !std::holds_alternative<double>(*spec.synapse.delay)) ||
                        (std::holds_alternative<FromList>(spec.connector) && !std::get<FromList>(spec.connector).delays.empty()) ||
                        (std::holds_alternative<FromDenseMatrix>(spec.connector) && !std::get<FromDenseMatrix>(spec.connector).delays.empty()) ||
                        (std::holds_alternative<FromSparseMatrix>(spec.connector) && !std::get<FromSparseMatrix>(spec.connector).delays.empty());
    return target + sizeof(float) + (varies ? 1.0 : 0.0);
}

} // namespace spikegraph
