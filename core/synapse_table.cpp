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
#include "core/huge_pages.hpp"

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
    Builder(const Network& network, ProjectionId id, Seed seed, double dt, std::vector<Index> bounds)
        : spec_(network.projection(id)), seed_(seed), dt_(dt), index_(id.value),
          object_("projection '" + spec_.name + "'"), n_pre_(network.population(spec_.pre).size),
          n_post_(network.population(spec_.post).size), same_(spec_.pre == spec_.post), bounds_(std::move(bounds)) {}

    std::vector<SynapseTable> build();

private:
    bool exclude_self(bool allow_self) const { return same_ && !allow_self; }
    static std::uint32_t skip_self(std::uint32_t candidate, Index self) {
        return candidate >= self ? candidate + 1 : candidate;
    }
    RandomStream stream(RandomPurpose purpose, Index unit, std::uint64_t first_block = 0) const {
        return RandomStream(seed_, index_, purpose, unit, first_block);
    }
    std::size_t partition_of(Index target) const {
        return static_cast<std::size_t>(std::upper_bound(bounds_.begin() + 1, bounds_.end() - 1, target) -
                                        (bounds_.begin() + 1));
    }

    std::uint16_t to_steps(double delay_ms, const std::string& field) const;
    void check_delays() const;
    double draw_weight(RandomStream& stream, std::uint64_t list_index) const;
    std::uint16_t draw_delay(RandomStream& stream, std::uint64_t list_index) const;

    bool column_wise() const { return std::holds_alternative<FixedInDegree>(spec_.connector); }
    // Partners of one unit (targets of row u, or sources of column u): connectivity draws only.
    void partners(Index unit, std::vector<std::uint32_t>& out) const;
    // Full synapses of one unit: partners plus weights and delays.
    void synapses(Index unit, std::vector<std::uint32_t>& scratch, std::vector<Staged>& out) const;
    void total_number_counts();
    void list_rows();
    void store(std::size_t part, std::uint64_t slot, std::uint32_t target, float weight, std::uint16_t delay);
    void sort_row(SynapseTable& table, Index row, std::vector<Staged>& scratch) const;
    void allocate(SynapseTable& table) const;
    void finish(SynapseTable& table) const;

    const ProjectionSpec& spec_;
    Seed seed_;
    double dt_;
    std::uint32_t index_;
    std::string object_;
    Index n_pre_, n_post_;
    bool same_;
    std::vector<Index> bounds_; // partition p holds targets in [bounds_[p], bounds_[p + 1])
    std::vector<SynapseTable> parts_;
    bool per_synapse_delays_ = false;
    bool narrow_delays_ = true;
    std::uint16_t constant_delay_ = 1;
    std::vector<std::uint64_t> row_counts_; // fixed_total_number: synapses per row
};

std::uint16_t Builder::to_steps(double delay_ms, const std::string& field) const {
    if (!(delay_ms >= dt_ * (1.0 - 1e-9)))
        fail_parameter(object_, field, delay_ms, "ms",
                       "it is below one time step (dt = " + format_number(dt_) + " ms); delays are whole steps >= 1");
    const double steps = std::round(delay_ms / dt_);
    if (!(steps <= 65535.0))
        fail_parameter(object_, field, delay_ms, "ms", "it exceeds 65535 time steps of dt = " + format_number(dt_) + " ms");
    return static_cast<std::uint16_t>(std::max(1.0, steps));
}

// Every delay that can occur is checked before any table is built, so an error names the first
// offending value in a fixed order, whatever the threads do.
void Builder::check_delays() const {
    if (spec_.synapse.delay) {
        const ValueSpec& d = *spec_.synapse.delay;
        if (const auto* list = std::get_if<std::vector<double>>(&d)) {
            for (std::size_t i = 0; i < list->size(); ++i) to_steps((*list)[i], "delay[" + std::to_string(i) + "]");
        } else if (const auto* distribution = std::get_if<Distribution>(&d)) {
            if (!(distribution->support_min() >= dt_ * (1.0 - 1e-9)))
                throw Error(ErrorCode::invalid_parameter,
                            object_ + ": delay " + distribution->describe() + " can draw delays below one time step (dt = " +
                                format_number(dt_) + " ms); use a distribution whose low end is >= dt");
            if (std::isfinite(distribution->support_max())) to_steps(distribution->support_max(), "delay " + distribution->describe());
        } else {
            to_steps(std::get<double>(d), "delay");
        }
    }
    const std::vector<double>* delays = nullptr;
    if (const auto* list = std::get_if<FromList>(&spec_.connector)) delays = &list->delays;
    if (const auto* sparse = std::get_if<FromSparseMatrix>(&spec_.connector)) delays = &sparse->delays;
    if (delays)
        for (std::size_t i = 0; i < delays->size(); ++i) to_steps((*delays)[i], "delay[" + std::to_string(i) + "]");
    if (const auto* dense = std::get_if<FromDenseMatrix>(&spec_.connector))
        for (std::size_t i = 0; i < dense->delays.size(); ++i)
            if (dense->weights[i] != 0.0)
                to_steps(dense->delays[i], "delay[" + std::to_string(i / dense->cols) + "][" + std::to_string(i % dense->cols) + "]");
}

double Builder::draw_weight(RandomStream& stream, std::uint64_t list_index) const {
    const ValueSpec& w = spec_.synapse.weight;
    if (const auto* constant = std::get_if<double>(&w)) return *constant;
    if (const auto* list = std::get_if<std::vector<double>>(&w)) return (*list)[list_index];
    return std::get<Distribution>(w).sample(stream);
}

std::uint16_t Builder::draw_delay(RandomStream& stream, std::uint64_t list_index) const {
    if (!spec_.synapse.delay) return 1;
    const ValueSpec& d = *spec_.synapse.delay;
    if (std::holds_alternative<double>(d)) return constant_delay_;
    if (const auto* list = std::get_if<std::vector<double>>(&d)) return to_steps((*list)[list_index], "delay");
    return to_steps(std::get<Distribution>(d).sample(stream), "delay"); // in range: check_delays() saw the support
}

void Builder::partners(Index unit, std::vector<std::uint32_t>& out) const {
    out.clear();
    struct Visit {
        const Builder& b;
        Index u;
        std::vector<std::uint32_t>& out;
        void operator()(const AllToAll& c) const {
            for (std::uint64_t t = 0; t < b.n_post_; ++t)
                if (!(b.exclude_self(c.allow_self_connections) && t == u)) out.push_back(static_cast<std::uint32_t>(t));
        }
        void operator()(const OneToOne&) const { out.push_back(u); }
        void operator()(const FixedProbability& c) const {
            const bool skip = b.exclude_self(c.allow_self_connections);
            const double candidates = static_cast<double>(b.n_post_) - (skip ? 1.0 : 0.0);
            if (c.p <= 0.0 || candidates <= 0.0) return;
            if (c.p >= 1.0) {
                for (std::uint64_t t = 0; t < b.n_post_; ++t)
                    if (!(skip && t == u)) out.push_back(static_cast<std::uint32_t>(t));
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
        void degree(std::uint64_t n, std::uint64_t size, bool skip, bool multapses) const {
            RandomStream s = b.stream(RandomPurpose::connectivity, u);
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
            degree(c.n, b.n_pre_, b.exclude_self(c.allow_self_connections), c.allow_multapses);
        }
        void operator()(const FixedOutDegree& c) const {
            degree(c.n, b.n_post_, b.exclude_self(c.allow_self_connections), c.allow_multapses);
        }
        void operator()(const FixedTotalNumber& c) const {
            degree(b.row_counts_[u], b.n_post_, b.exclude_self(c.allow_self_connections), c.allow_multapses);
        }
        void operator()(const FromDenseMatrix& c) const {
            const double* row = c.weights.data() + static_cast<std::uint64_t>(u) * c.cols;
            for (std::uint64_t t = 0; t < c.cols; ++t)
                if (row[t] != 0.0) out.push_back(static_cast<std::uint32_t>(t));
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
            d = dense->delays.empty() ? draw_delay(delays, 0) : to_steps(dense->delays[cell], "delay");
        } else if (sparse) {
            const std::uint64_t entry = sparse->indptr[unit] + k;
            w = sparse->weights[entry];
            d = sparse->delays.empty() ? draw_delay(delays, 0) : to_steps(sparse->delays[entry], "delay");
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
    const std::uint64_t rows = n_pre_;
    row_counts_.assign(rows, 0);
    RandomStream s = stream(RandomPurpose::connectivity, 0, global_block);
    if (c.allow_multapses) {
        for (std::uint64_t k = 0; k < c.n; ++k) ++row_counts_[s.below(rows)];
        return;
    }
    std::vector<std::uint64_t> tree(rows + 1, 0); // remaining free pairs per row
    for (std::uint64_t r = 1; r <= rows; ++r) {
        tree[r] += per_row;
        const std::uint64_t parent = r + (r & (~r + 1));
        if (parent <= rows) tree[parent] += tree[r];
    }
    std::uint64_t remaining = rows * per_row;
    std::uint64_t top = 1;
    while (top * 2 <= rows) top *= 2;
    for (std::uint64_t k = 0; k < c.n; ++k, --remaining) {
        std::uint64_t pick = s.below(remaining);
        std::uint64_t position = 0; // find the row whose cumulative range holds pick
        for (std::uint64_t step = top; step > 0; step >>= 1) {
            const std::uint64_t next = position + step;
            if (next <= rows && tree[next] <= pick) {
                position = next;
                pick -= tree[next];
            }
        }
        ++row_counts_[position];
        for (std::uint64_t r = position + 1; r <= rows; r += r & (~r + 1)) --tree[r];
    }
}

void Builder::allocate(SynapseTable& table) const {
    const std::uint64_t count = table.row_start.back();
    if (table.narrow_targets())
        resize_on_huge_pages(table.target16, count);
    else
        resize_on_huge_pages(table.target32, count);
    resize_on_huge_pages(table.weight, count);
    if (per_synapse_delays_) {
        if (narrow_delays_)
            resize_on_huge_pages(table.delay8, count);
        else
            resize_on_huge_pages(table.delay16, count);
    }
}

void Builder::store(std::size_t part, std::uint64_t slot, std::uint32_t target, float weight, std::uint16_t delay) {
    SynapseTable& table = parts_[part];
    if (table.narrow_targets())
        table.target16[slot] = static_cast<std::uint16_t>(target - table.target_offset);
    else
        table.target32[slot] = target - table.target_offset;
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
        if (table.narrow_targets())
            table.target16[s] = static_cast<std::uint16_t>(x.partner - table.target_offset);
        else
            table.target32[s] = x.partner - table.target_offset;
        table.weight[s] = x.weight;
        if (!table.delay8.empty()) table.delay8[s] = static_cast<std::uint8_t>(x.delay);
        if (!table.delay16.empty()) table.delay16[s] = x.delay;
    }
}

void Builder::list_rows() {
    const auto& list = std::get<FromList>(spec_.connector);
    const std::uint64_t count = list.pre.size();
    for (std::uint64_t k = 0; k < count; ++k) ++parts_[partition_of(list.post[k])].row_start[list.pre[k] + 1];
    std::vector<std::vector<std::uint64_t>> cursor(parts_.size());
    for (std::size_t p = 0; p < parts_.size(); ++p) {
        auto& rows = parts_[p].row_start;
        for (std::uint64_t r = 0; r < n_pre_; ++r) rows[r + 1] += rows[r];
        allocate(parts_[p]);
        cursor[p].assign(rows.begin(), rows.end() - 1);
    }
    RandomStream weights = stream(RandomPurpose::weight, 0);
    RandomStream delays = stream(RandomPurpose::delay, 0);
    for (std::uint64_t k = 0; k < count; ++k) {
        const double w = list.weights.empty() ? draw_weight(weights, k) : list.weights[k];
        if (!(std::fabs(w) <= std::numeric_limits<float>::max()))
            fail_parameter(object_, "weight[" + std::to_string(k) + "]", w, "", "it does not fit a 32-bit float");
        const std::uint16_t d = list.delays.empty() ? draw_delay(delays, k) : to_steps(list.delays[k], "delay");
        const std::size_t p = partition_of(list.post[k]);
        store(p, cursor[p][list.pre[k]]++, list.post[k], static_cast<float>(w), d);
    }
}

void Builder::finish(SynapseTable& table) const {
    // Sort every row, then gather the statistics the backends size their buffers from.
    tbb::enumerable_thread_specific<std::vector<Staged>> scratch;
    tbb::parallel_for(tbb::blocked_range<Index>(0, n_pre_, 256), [&](const tbb::blocked_range<Index>& rows) {
        auto& local = scratch.local();
        for (Index r = rows.begin(); r != rows.end(); ++r) sort_row(table, r, local);
    });
    std::vector<std::uint32_t> in_degree(table.target_span, 0); // by target within the partition
    float max_w = 0.0f;
    std::uint32_t max_d = per_synapse_delays_ ? 0 : constant_delay_;
    for (std::uint64_t s = 0; s < table.size(); ++s) {
        ++in_degree[table.target(s) - table.target_offset];
        max_w = std::max(max_w, std::fabs(table.weight[s]));
        if (per_synapse_delays_) max_d = std::max(max_d, table.delay(s));
    }
    table.max_in_degree = in_degree.empty() ? 0 : *std::max_element(in_degree.begin(), in_degree.end());
    table.max_abs_weight = max_w;
    table.max_delay = std::max<std::uint32_t>(max_d, 1);
    table.uniform_delay = per_synapse_delays_ ? 0 : constant_delay_;
}

std::vector<SynapseTable> Builder::build() {
    if (bounds_.size() < 2 || bounds_.front() != 0 || bounds_.back() != n_post_ || !std::is_sorted(bounds_.begin(), bounds_.end()))
        throw Error(ErrorCode::internal, object_ + ": invalid target partition");
    parts_.resize(bounds_.size() - 1);
    for (std::size_t p = 0; p < parts_.size(); ++p) {
        parts_[p].n_pre = n_pre_;
        parts_[p].n_post = n_post_;
        parts_[p].target_offset = bounds_[p];
        parts_[p].target_span = bounds_[p + 1] - bounds_[p];
        parts_[p].row_start.assign(static_cast<std::size_t>(n_pre_) + 1, 0);
    }

    // How delays are stored: one value for the projection, or 8 or 16 bits per synapse.
    check_delays();
    const ValueSpec* delay = spec_.synapse.delay ? &*spec_.synapse.delay : nullptr;
    double largest_connector_delay = 0.0;
    bool connector_delays = false;
    if (const auto* list = std::get_if<FromList>(&spec_.connector)) {
        connector_delays = !list->delays.empty();
        for (double d : list->delays) largest_connector_delay = std::max(largest_connector_delay, d);
    }
    if (const auto* dense = std::get_if<FromDenseMatrix>(&spec_.connector)) {
        connector_delays = !dense->delays.empty();
        for (std::size_t i = 0; i < dense->delays.size(); ++i)
            if (dense->weights[i] != 0.0) largest_connector_delay = std::max(largest_connector_delay, dense->delays[i]);
    }
    if (const auto* sparse = std::get_if<FromSparseMatrix>(&spec_.connector)) {
        connector_delays = !sparse->delays.empty();
        for (double d : sparse->delays) largest_connector_delay = std::max(largest_connector_delay, d);
    }
    per_synapse_delays_ = connector_delays || (delay && !std::holds_alternative<double>(*delay));
    if (delay && std::holds_alternative<double>(*delay)) constant_delay_ = to_steps(std::get<double>(*delay), "delay");
    if (per_synapse_delays_) {
        double largest = largest_connector_delay;
        if (delay) largest = std::max(largest, max_delay_ms(*delay));
        narrow_delays_ = std::round(largest / dt_) <= 255.0;
    }

    if (std::holds_alternative<FromList>(spec_.connector)) {
        list_rows();
    } else {
        if (std::holds_alternative<FixedTotalNumber>(spec_.connector)) total_number_counts();
        tbb::enumerable_thread_specific<std::vector<std::uint32_t>> partner_scratch;
        tbb::enumerable_thread_specific<std::vector<Staged>> synapse_scratch;
        const std::size_t parts = parts_.size();
        // Pass 1 counts the synapses of every (partition, row); regenerating the same draws in
        // pass 2 costs less memory than holding them. Column-wise units (fixed in-degree) add to
        // the rows of their sources, hence the atomic counts.
        const bool by_column = column_wise();
        const Index units = by_column ? n_post_ : n_pre_;
        tbb::parallel_for(tbb::blocked_range<Index>(0, units, 64), [&](const tbb::blocked_range<Index>& range) {
            auto& scratch = partner_scratch.local();
            for (Index u = range.begin(); u != range.end(); ++u) {
                partners(u, scratch);
                if (by_column) {
                    auto& rows = parts_[partition_of(u)].row_start;
                    for (std::uint32_t pre : scratch)
                        std::atomic_ref<std::uint64_t>(rows[pre + 1]).fetch_add(1, std::memory_order_relaxed);
                } else if (parts == 1) {
                    parts_[0].row_start[u + 1] = scratch.size();
                } else {
                    for (std::uint32_t target : scratch) ++parts_[partition_of(target)].row_start[u + 1];
                }
            }
        });
        std::vector<std::vector<std::uint64_t>> cursor(parts);
        for (std::size_t p = 0; p < parts; ++p) {
            auto& rows = parts_[p].row_start;
            for (std::uint64_t r = 0; r < n_pre_; ++r) rows[r + 1] += rows[r];
            allocate(parts_[p]);
            cursor[p].assign(rows.begin(), rows.end() - 1);
        }
        tbb::parallel_for(tbb::blocked_range<Index>(0, units, 64), [&](const tbb::blocked_range<Index>& range) {
            auto& scratch = partner_scratch.local();
            auto& staged = synapse_scratch.local();
            for (Index u = range.begin(); u != range.end(); ++u) {
                synapses(u, scratch, staged);
                for (const Staged& s : staged) {
                    if (by_column) {
                        const std::size_t p = partition_of(u);
                        const std::uint64_t slot =
                            std::atomic_ref<std::uint64_t>(cursor[p][s.partner]).fetch_add(1, std::memory_order_relaxed);
                        store(p, slot, u, s.weight, s.delay);
                    } else {
                        const std::size_t p = parts == 1 ? 0 : partition_of(s.partner);
                        store(p, cursor[p][u]++, s.partner, s.weight, s.delay); // row u belongs to this task alone
                    }
                }
            }
        });
    }
    for (auto& part : parts_) finish(part);
    return std::move(parts_);
}

} // namespace

SynapseTable build_synapse_table(const Network& network, ProjectionId projection, Seed seed, double dt) {
    const Index n_post = network.population(network.projection(projection).post).size;
    return std::move(Builder(network, projection, seed, dt, {0, n_post}).build().front());
}

std::vector<SynapseTable> build_synapse_tables(const Network& network, ProjectionId projection, Seed seed, double dt,
                                               const std::vector<Index>& target_bounds) {
    return Builder(network, projection, seed, dt, target_bounds).build();
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
    const double target = 2.0; // backends partition targets into spans of at most 65,536
    const bool varies = (spec.synapse.delay && !std::holds_alternative<double>(*spec.synapse.delay)) ||
                        (std::holds_alternative<FromList>(spec.connector) && !std::get<FromList>(spec.connector).delays.empty()) ||
                        (std::holds_alternative<FromDenseMatrix>(spec.connector) && !std::get<FromDenseMatrix>(spec.connector).delays.empty()) ||
                        (std::holds_alternative<FromSparseMatrix>(spec.connector) && !std::get<FromSparseMatrix>(spec.connector).delays.empty());
    return target + sizeof(float) + (varies ? 2.0 : 0.0); // 16-bit delays at most
}

} // namespace spikegraph
