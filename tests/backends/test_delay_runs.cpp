// Listed delivery splits a spike's row, sorted by delay, into runs of equal delays. Every scan
// (a 64-bit word at a time, and 64 delays at a time where AVX-512 is built) must find exactly the
// runs of a plain element-by-element scan: rows of every length around the 8- and 64-delay
// widths, runs that end on those boundaries, and rows that end where their array ends. The runs
// then wait in lists packed into 8 bytes, and must come back as they went in.
#include <cstdint>
#include <random>
#include <tuple>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "backends/cpu/pending_runs.hpp"

namespace {

using Runs = std::vector<std::tuple<std::uint64_t, std::uint64_t, std::uint32_t>>;

template <class Delay>
Runs plain_runs(const std::vector<Delay>& delays, std::uint64_t begin, std::uint64_t end) {
    Runs runs;
    for (std::uint64_t s = begin; s < end;) {
        std::uint64_t stop = s + 1;
        while (stop < end && delays[stop] == delays[s]) ++stop;
        runs.emplace_back(s, stop, delays[s]);
        s = stop;
    }
    return runs;
}

template <class Delay, class Scan>
Runs scanned_runs(const std::vector<Delay>& delays, std::uint64_t begin, std::uint64_t end, Scan scan) {
    Runs runs;
    scan(delays.data(), begin, end, [&](std::uint64_t b, std::uint64_t e, auto delay) { runs.emplace_back(b, e, delay); });
    return runs;
}

// Rows sorted by delay with run lengths drawn from `longest`, placed at the end of their array
// (the scans must not read past it) after a prefix of other delays.
template <class Delay>
void check_scans(std::uint32_t seed) {
    std::mt19937 engine(seed);
    auto rng = [&] { return static_cast<std::uint32_t>(engine()); };
    for (const std::uint64_t length : {0u, 1u, 2u, 7u, 8u, 9u, 63u, 64u, 65u, 66u, 127u, 128u, 129u, 300u, 1000u}) {
        for (const std::uint32_t longest : {1u, 3u, 8u, 64u, 200u}) {
            for (int trial = 0; trial < 20; ++trial) {
                const std::uint64_t prefix = rng() % 70;
                std::vector<Delay> delays;
                for (std::uint64_t k = 0; k < prefix; ++k) delays.push_back(static_cast<Delay>(rng() % 5));
                std::uint32_t delay = 1 + rng() % 3;
                while (delays.size() < prefix + length) {
                    const std::uint32_t run = 1 + rng() % longest;
                    for (std::uint32_t k = 0; k < run && delays.size() < prefix + length; ++k) delays.push_back(static_cast<Delay>(delay));
                    delay += 1 + rng() % 2;
                }
                const Runs expected = plain_runs(delays, prefix, prefix + length);
                CAPTURE(length);
                CAPTURE(longest);
                CHECK(scanned_runs(delays, prefix, prefix + length, [](auto... a) { spikegraph::cpu::for_each_delay_run(a...); }) == expected);
                CHECK(scanned_runs(delays, prefix, prefix + length, [](auto... a) { spikegraph::cpu::delay_runs_by_word(a...); }) == expected);
#if defined(__AVX512BW__)
                if constexpr (sizeof(Delay) == 1)
                    CHECK(scanned_runs(delays, prefix, prefix + length, [](auto... a) { spikegraph::cpu::delay_runs_by_mask(a...); }) == expected);
#endif
            }
        }
    }
}

} // namespace

TEST_CASE("every scan of a row finds the runs of equal delays a plain scan finds") {
    check_scans<std::uint8_t>(1);
    check_scans<std::uint16_t>(2);
}

TEST_CASE("pending runs keep their synapse ranges, long runs split, far into a table") {
    using spikegraph::cpu::PendingRun;
    using spikegraph::cpu::PendingRuns;
    const std::uint64_t far = (std::uint64_t{1} << 48) - 200'000;
    PendingRuns lists(5);
    lists.add(3, 10, 11);
    lists.add(3, far, far + 150'000); // more synapses than one run holds
    lists.add(4, 0, PendingRun::longest);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> at3, at4;
    auto into = [](auto& out) {
        return [&out](const PendingRun* runs, std::size_t count) {
            for (std::size_t k = 0; k < count; ++k) out.emplace_back(runs[k].begin(), runs[k].end());
        };
    };
    lists.drain(3, into(at3), [](const auto&) {});
    lists.drain(4, into(at4), [](const auto&) {});
    CHECK(at4 == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{0, PendingRun::longest}});
    REQUIRE(at3.size() == 4);
    CHECK(at3[0] == std::pair<std::uint64_t, std::uint64_t>{10, 11});
    std::uint64_t next = far;
    for (std::size_t k = 1; k < at3.size(); ++k) {
        CHECK(at3[k].first == next);
        CHECK(at3[k].second - at3[k].first <= PendingRun::longest);
        next = at3[k].second;
    }
    CHECK(next == far + 150'000);
}
