// Connectors give the requested counts; tables are CSR rows sorted by (delay, target); the same
// seed gives the same synapses.
#include <cmath>
#include <set>
#include <tuple>

#include "core/synapse_table.hpp"
#include "support.hpp"

using namespace spikegraph;

namespace {
struct Fixture {
    Network net;
    PopulationId a, b;
    Fixture(Index n_a = 200, Index n_b = 300) {
        a = net.add_population("a", model_info("lif"), n_a);
        b = net.add_population("b", model_info("lif"), n_b);
    }
    SynapseTable table(PopulationId pre, PopulationId post, Connector c, SynapseSpec s = {}, Seed seed = 1, double dt = 0.1) {
        const auto id = net.connect(pre, post, std::move(c), std::move(s));
        return build_synapse_table(net, id, seed, dt);
    }
};

std::vector<std::uint64_t> in_degrees(const SynapseTable& t) {
    std::vector<std::uint64_t> degree(t.n_post, 0);
    for (std::uint64_t s = 0; s < t.size(); ++s) ++degree[t.target(s)];
    return degree;
}

void check_rows_sorted(const SynapseTable& t) {
    for (Index r = 0; r < t.n_pre; ++r)
        for (std::uint64_t s = t.row_start[r] + 1; s < t.row_start[r + 1]; ++s) {
            const bool ordered = t.delay(s - 1) < t.delay(s) || (t.delay(s - 1) == t.delay(s) && t.target(s - 1) <= t.target(s));
            REQUIRE(ordered);
        }
}

bool has_self_or_multapse(const SynapseTable& t, bool check_self) {
    for (Index r = 0; r < t.n_pre; ++r) {
        std::set<Index> seen;
        for (std::uint64_t s = t.row_start[r]; s < t.row_start[r + 1]; ++s) {
            if (check_self && t.target(s) == r) return true;
            if (!seen.insert(t.target(s)).second) return true;
        }
    }
    return false;
}
} // namespace

TEST_SUITE("core") {
TEST_CASE("all_to_all and one_to_one give exact counts") {
    Fixture f;
    CHECK(f.table(f.a, f.b, AllToAll{}).size() == 200 * 300);
    CHECK(f.table(f.a, f.a, AllToAll{false}).size() == 200 * 199);
    const auto one = f.table(f.a, f.a, OneToOne{});
    CHECK(one.size() == 200);
    for (Index r = 0; r < 200; ++r) CHECK(one.target(one.row_start[r]) == r);
}

TEST_CASE("fixed_probability gives a binomial count and no self-connections when asked") {
    Fixture f(1000, 2000);
    const double p = 0.05, n = 1000.0 * 2000.0;
    const auto t = f.table(f.a, f.b, FixedProbability{p});
    const double mean = p * n, sd = std::sqrt(n * p * (1 - p));
    CHECK(std::abs(static_cast<double>(t.size()) - mean) < 4 * sd);
    check_rows_sorted(t);
    const auto self = f.table(f.a, f.a, FixedProbability{0.3, false});
    CHECK_FALSE(has_self_or_multapse(self, true));
    CHECK(std::abs(static_cast<double>(self.size()) - 0.3 * 1000 * 999) < 4 * std::sqrt(1000 * 999 * 0.21));
    CHECK(f.table(f.a, f.b, FixedProbability{0.0}).size() == 0);
    CHECK(f.table(f.a, f.b, FixedProbability{1.0}).size() == 1000 * 2000);
}

TEST_CASE("fixed_in_degree gives every target exactly n synapses") {
    Fixture f;
    const auto t = f.table(f.a, f.b, FixedInDegree{37});
    CHECK(t.size() == 37 * 300);
    for (auto d : in_degrees(t)) CHECK(d == 37);
    CHECK_FALSE(has_self_or_multapse(t, false));
    check_rows_sorted(t);
    const auto self = f.table(f.a, f.a, FixedInDegree{199, false});
    for (auto d : in_degrees(self)) CHECK(d == 199);
    CHECK_FALSE(has_self_or_multapse(self, true));
    const auto multi = f.table(f.a, f.b, FixedInDegree{500, true, true});
    for (auto d : in_degrees(multi)) CHECK(d == 500);
}

TEST_CASE("fixed_out_degree gives every source exactly n synapses") {
    Fixture f;
    const auto t = f.table(f.a, f.b, FixedOutDegree{120});
    for (Index r = 0; r < 200; ++r) CHECK(t.row_start[r + 1] - t.row_start[r] == 120);
    CHECK_FALSE(has_self_or_multapse(t, false));
}

TEST_CASE("fixed_total_number gives exactly n synapses, with and without multapses") {
    Fixture f;
    const auto distinct = f.table(f.a, f.b, FixedTotalNumber{50000});
    CHECK(distinct.size() == 50000);
    CHECK_FALSE(has_self_or_multapse(distinct, false));
    const auto dense = f.table(f.a, f.a, FixedTotalNumber{200 * 199, false});
    CHECK(dense.size() == 200 * 199);
    CHECK_FALSE(has_self_or_multapse(dense, true));
    const auto multi = f.table(f.a, f.b, FixedTotalNumber{100000, true, true});
    CHECK(multi.size() == 100000);
    // Rows are multinomial: their counts have mean n / n_pre and variance near n p (1 - p).
    double variance = 0.0;
    for (Index r = 0; r < 200; ++r) {
        const double c = static_cast<double>(multi.row_start[r + 1] - multi.row_start[r]) - 500.0;
        variance += c * c / 199.0;
    }
    CHECK(variance == doctest::Approx(500.0 * (1 - 1.0 / 200)).epsilon(0.25));
}

TEST_CASE("from_list, dense and sparse matrices place the given synapses") {
    Fixture f(3, 4);
    const auto list = f.table(f.a, f.b, FromList{{2, 0, 2}, {1, 3, 0}, {0.5, 0.25, 0.125}, {0.3, 0.1, 0.2}});
    CHECK(list.size() == 3);
    CHECK(list.row_start[1] - list.row_start[0] == 1);
    // Row 2 is sorted by delay: (0 at 0.2 ms), then (1 at 0.3 ms).
    CHECK(list.target(list.row_start[2]) == 0);
    CHECK(list.delay(list.row_start[2]) == 2);
    CHECK(list.weight[list.row_start[2] + 1] == 0.5f);
    const auto dense = f.table(f.a, f.b, FromDenseMatrix{3, 4, {0, 1, 0, 2, 0, 0, 0, 0, 3, 0, 0, 4}, {}});
    CHECK(dense.size() == 4);
    CHECK(dense.weight[dense.row_start[2]] == 3.0f);
    const auto sparse = f.table(f.a, f.b, FromSparseMatrix{3, 4, {0, 1, 1, 3}, {2, 0, 3}, {-1.0, 2.0, 3.0}, {}});
    CHECK(sparse.size() == 3);
    CHECK(sparse.target(0) == 2);
    CHECK(sparse.weight[2] == 3.0f);
}

TEST_CASE("weights and delays are drawn per synapse and delays become whole steps") {
    Fixture f(400, 400);
    const auto t = f.table(f.a, f.b, FixedProbability{0.2},
                           SynapseSpec{Distribution::uniform(1.0, 3.0), Distribution::uniform(0.1, 2.0), "excitatory"});
    double sum = 0.0;
    std::uint32_t min_delay = 1000, max_delay = 0;
    for (std::uint64_t s = 0; s < t.size(); ++s) {
        sum += t.weight[s];
        min_delay = std::min(min_delay, t.delay(s));
        max_delay = std::max(max_delay, t.delay(s));
    }
    CHECK(sum / static_cast<double>(t.size()) == doctest::Approx(2.0).epsilon(0.01));
    CHECK(min_delay == 1);
    CHECK(max_delay == 20);
    CHECK_FALSE(t.delay8.empty()); // delays that vary and fit 8 bits
    CHECK(t.narrow_targets());     // 400 targets fit 16 bits
    check_rows_sorted(t);
    const auto fixed = f.table(f.a, f.b, AllToAll{}, SynapseSpec{1.0, 0.3, "excitatory"});
    CHECK(fixed.uniform_delays());
    CHECK(fixed.uniform_delay == 3);
    CHECK(fixed.bytes() == 400 * 400 * 6 + 401 * 8); // 2-byte target + 4-byte weight, no delay array
}

TEST_CASE("the same seed gives the same table; another seed another") {
    Fixture f(300, 300);
    const auto id = f.net.connect(f.a, f.b, FixedProbability{0.1}, SynapseSpec{Distribution::normal(1, 0.2), std::nullopt, "excitatory"});
    const auto one = build_synapse_table(f.net, id, 5, 0.1);
    const auto same = build_synapse_table(f.net, id, 5, 0.1);
    const auto other = build_synapse_table(f.net, id, 6, 0.1);
    CHECK(one.target16 == same.target16);
    CHECK(one.weight == same.weight);
    CHECK(one.target16 != other.target16);
}

TEST_CASE("a delay below one time step is refused, naming the projection") {
    Fixture f;
    const auto id = f.net.connect(f.a, f.b, AllToAll{}, SynapseSpec{1.0, 0.05, "excitatory"});
    test::check_error([&] { build_synapse_table(f.net, id, 1, 0.1); }, ErrorCode::invalid_parameter,
                      {"'a->b'", "delay", "0.05", "below one time step", "0.1"});
    const auto random = f.net.connect(f.a, f.b, FixedProbability{0.5},
                                      SynapseSpec{1.0, Distribution::uniform(0.01, 1.0), "excitatory"});
    test::check_error([&] { build_synapse_table(f.net, random, 1, 0.1); }, ErrorCode::invalid_parameter,
                      {"'a->b#2'", "uniform(0.01, 1)", "below one time step"});
}

TEST_CASE("partitioning by target range splits the same synapses, each into its range") {
    for (Connector c : {Connector(FixedProbability{0.1}), Connector(FixedInDegree{20}), Connector(FixedTotalNumber{9000}),
                        Connector(FromList{{0, 5, 5, 199}, {299, 0, 150, 17}, {}, {}})}) {
        Fixture f;
        const auto id = f.net.connect(f.a, f.b, c, SynapseSpec{Distribution::uniform(0, 1), Distribution::uniform(0.1, 3.0), "excitatory"});
        const auto whole = build_synapse_table(f.net, id, 4, 0.1);
        const std::vector<Index> bounds{0, 64, 128, 300};
        const auto parts = build_synapse_tables(f.net, id, 4, 0.1, bounds);
        REQUIRE(parts.size() == 3);
        std::uint64_t total = 0;
        for (std::size_t p = 0; p < parts.size(); ++p) {
            total += parts[p].size();
            check_rows_sorted(parts[p]);
            for (std::uint64_t s = 0; s < parts[p].size(); ++s) {
                CHECK(parts[p].target(s) >= bounds[p]);
                CHECK(parts[p].target(s) < bounds[p + 1]);
            }
        }
        CHECK(total == whole.size());
        // Row by row, the partitions hold exactly the synapses of the whole table.
        for (Index r = 0; r < 200; ++r) {
            std::multiset<std::tuple<Index, std::uint32_t, float>> expected, got;
            for (std::uint64_t s = whole.row_start[r]; s < whole.row_start[r + 1]; ++s)
                expected.insert({whole.target(s), whole.delay(s), whole.weight[s]});
            for (const auto& part : parts)
                for (std::uint64_t s = part.row_start[r]; s < part.row_start[r + 1]; ++s)
                    got.insert({part.target(s), part.delay(s), part.weight[s]});
            REQUIRE(expected == got);
        }
    }
}
}
