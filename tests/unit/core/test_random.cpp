// Distributions drawn from the counter-based streams have the moments they promise.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/random.hpp"
#include "core/values.hpp"

using namespace spikegraph;

namespace {
struct Moments {
    double mean = 0, variance = 0, min = 1e300, max = -1e300;
};
template <class Draw>
Moments moments(int n, Draw draw) {
    std::vector<double> x(n);
    Moments m;
    for (int i = 0; i < n; ++i) {
        x[i] = draw();
        m.mean += x[i];
        m.min = std::min(m.min, x[i]);
        m.max = std::max(m.max, x[i]);
    }
    m.mean /= n;
    for (double v : x) m.variance += (v - m.mean) * (v - m.mean);
    m.variance /= (n - 1);
    return m;
}
} // namespace

TEST_SUITE("core") {
TEST_CASE("uniform draws lie in (0, 1) with mean 1/2 and variance 1/12") {
    RandomStream s(1, 0, RandomPurpose::weight, 0);
    const int n = 400000;
    const auto m = moments(n, [&] { return s.uniform(); });
    CHECK(m.min > 0.0);
    CHECK(m.max < 1.0);
    CHECK(std::abs(m.mean - 0.5) < 3.0 * std::sqrt(1.0 / 12.0 / n)); // 3 standard errors
    CHECK(std::abs(m.variance - 1.0 / 12.0) < 0.002);
}

TEST_CASE("below(n) is unbiased over every residue") {
    RandomStream s(2, 0, RandomPurpose::weight, 0);
    const int n = 7, draws = 700000;
    std::vector<int> counts(n, 0);
    for (int i = 0; i < draws; ++i) ++counts[s.below(n)];
    const double expected = draws / double(n), sd = std::sqrt(expected * (1.0 - 1.0 / n));
    for (int c : counts) CHECK(std::abs(c - expected) < 4.0 * sd);
    RandomStream wide(3, 0, RandomPurpose::weight, 0);
    const std::uint64_t big = (1ull << 40) + 17;
    for (int i = 0; i < 1000; ++i) CHECK(wide.below(big) < big);
}

TEST_CASE("normal draws have mean 0 and variance 1") {
    RandomStream s(4, 0, RandomPurpose::weight, 0);
    const int n = 400000;
    const auto m = moments(n, [&] { return s.normal(); });
    CHECK(std::abs(m.mean) < 3.0 / std::sqrt(double(n)));
    CHECK(std::abs(m.variance - 1.0) < 0.01);
}

TEST_CASE("distributions: uniform, clipped normal and lognormal") {
    RandomStream s(5, 0, RandomPurpose::weight, 0);
    const int n = 200000;
    const auto u = moments(n, [&] { return Distribution::uniform(-60, -50).sample(s); });
    CHECK(u.min >= -60.0);
    CHECK(u.max < -50.0);
    CHECK(std::abs(u.mean + 55.0) < 0.05);
    const auto c = moments(n, [&] { return Distribution::normal_clipped(1.0, 1.0, 0.5, 3.0).sample(s); });
    CHECK(c.min >= 0.5);
    CHECK(c.max <= 3.0);
    const auto l = moments(n, [&] { return Distribution::lognormal(0.0, 0.5).sample(s); });
    CHECK(l.min > 0.0);
    CHECK(std::abs(l.mean - std::exp(0.125)) < 0.01);
}

TEST_CASE("per-element values are independent of how many elements are resolved") {
    const auto few = resolve_values(Distribution::normal(0, 1), 10, 9, 2, RandomPurpose::initial_value, 0, "p", "v");
    const auto many = resolve_values(Distribution::normal(0, 1), 1000, 9, 2, RandomPurpose::initial_value, 0, "p", "v");
    for (int i = 0; i < 10; ++i) CHECK(few[i] == many[i]);
}
}
