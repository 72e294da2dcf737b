#include "hardware/loihi/map.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

#include <boost/graph/adjacency_list.hpp>

#include "core/error.hpp"

namespace spikegraph::loihi {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// Populations in breadth-first order from the graph's inputs (sources, then anything unreached).
std::vector<std::uint32_t> placement_order(const QuantizedNetwork& net) {
    Graph graph(net.populations.size());
    std::vector<int> in_degree(net.populations.size(), 0);
    for (const SynapseGroup& s : net.projections) {
        boost::add_edge(s.pre, s.post, graph);
        if (s.pre != s.post) ++in_degree[s.post];
    }
    std::vector<char> seen(net.populations.size(), 0);
    std::vector<std::uint32_t> order;
    auto visit_from = [&](std::uint32_t start) {
        std::deque<std::uint32_t> queue{start};
        seen[start] = 1;
        while (!queue.empty()) {
            const std::uint32_t p = queue.front();
            queue.pop_front();
            order.push_back(p);
            for (auto [e, end] = boost::out_edges(p, graph); e != end; ++e) {
                const auto q = static_cast<std::uint32_t>(boost::target(*e, graph));
                if (!seen[q]) {
                    seen[q] = 1;
                    queue.push_back(q);
                }
            }
        }
    };
    for (std::uint32_t p = 0; p < net.populations.size(); ++p)
        if (!seen[p] && (net.populations[p].source || in_degree[p] == 0)) visit_from(p);
    for (std::uint32_t p = 0; p < net.populations.size(); ++p)
        if (!seen[p]) visit_from(p);
    return order;
}

int bits_for(Index values) { return values <= 1 ? 1 : static_cast<int>(std::ceil(std::log2(static_cast<double>(values)))); }

// The synapses of every projection onto one population, grouped by input axon (projection, pre).
struct Incoming {
    struct Axon {
        std::vector<Index> targets;
        int bits_per_synapse; // weight + delay bits of its projection (target bits added per slice)
    };
    std::vector<Axon> axons;
};

Incoming incoming_of(const QuantizedNetwork& net, std::uint32_t post, const Spec& spec) {
    Incoming in;
    for (const SynapseGroup& s : net.projections) {
        if (s.post != post || s.weight.empty()) continue;
        const bool delayed = std::any_of(s.delay.begin(), s.delay.end(), [](std::uint32_t d) { return d != 1; });
        const int bits = s.num_weight_bits + (s.sign == SignMode::mixed ? 1 : 0) + (delayed ? spec.delay_bits : 0);
        std::vector<std::uint32_t> axon_of(net.populations[s.pre].size, ~0u);
        for (std::size_t k = 0; k < s.weight.size(); ++k) {
            std::uint32_t& a = axon_of[s.pre_index[k]];
            if (a == ~0u) {
                a = static_cast<std::uint32_t>(in.axons.size());
                in.axons.push_back({{}, bits});
            }
            in.axons[a].targets.push_back(s.post_index[k]);
        }
    }
    return in;
}

struct SliceLoad {
    double synapse_bits = 0.0;
    std::uint32_t input_axons = 0;
};

// The load of every slice of `slice` compartments.
std::vector<SliceLoad> slice_loads(const Incoming& in, Index size, Index slice, const Spec& spec) {
    const std::size_t slices = (size + slice - 1) / slice;
    std::vector<SliceLoad> load(slices);
    std::vector<std::uint32_t> count(slices, 0);
    std::vector<std::size_t> touched;
    const int index_bits = bits_for(slice);
    for (const Incoming::Axon& axon : in.axons) {
        for (Index t : axon.targets) {
            const std::size_t c = t / slice;
            if (count[c]++ == 0) touched.push_back(c);
        }
        for (std::size_t c : touched) {
            const double bits = spec.synapse_header_bits + static_cast<double>(count[c]) * (axon.bits_per_synapse + index_bits);
            load[c].synapse_bits += std::ceil(bits / 64.0) * 64.0;
            ++load[c].input_axons;
            count[c] = 0;
        }
        touched.clear();
    }
    return load;
}

bool fits(const std::vector<SliceLoad>& loads, const Spec& spec) {
    for (const SliceLoad& l : loads)
        if (l.synapse_bits > spec.synaptic_memory_bits_per_core || l.input_axons > static_cast<std::uint32_t>(spec.max_fan_in_axons))
            return false;
    return true;
}


// The largest slice of population p that fits the per-core limits on its inputs (loads only grow
// with the slice, so bisect); throws naming the limit when not even one compartment fits.
Index largest_input_slice(const QuantizedNetwork& net, std::uint32_t p, const Incoming& in, const Spec& spec) {
    const CompartmentGroup& g = net.populations[p];
    const std::string object = "population '" + g.name + "'";
    const std::vector<SliceLoad> single = slice_loads(in, g.size, 1, spec);
    if (!fits(single, spec)) {
        const auto worst_axons = std::max_element(single.begin(), single.end(), [](auto& a, auto& b) { return a.input_axons < b.input_axons; });
        const auto worst_bits = std::max_element(single.begin(), single.end(), [](auto& a, auto& b) { return a.synapse_bits < b.synapse_bits; });
        if (worst_axons->input_axons > static_cast<std::uint32_t>(spec.max_fan_in_axons))
            throw Error(ErrorCode::hardware_constraint,
                        object + ": compartment " + std::to_string(worst_axons - single.begin()) + " receives " +
                            std::to_string(worst_axons->input_axons) + " input axons, more than a " + spec.name +
                            " core's " + std::to_string(spec.max_fan_in_axons) + " (by " +
                            std::to_string(worst_axons->input_axons - spec.max_fan_in_axons) + ")");
        throw Error(ErrorCode::hardware_constraint,
                    object + ": compartment " + std::to_string(worst_bits - single.begin()) + " needs " +
                        format_number(worst_bits->synapse_bits / 8192.0) + " KB of synaptic memory, more than a " +
                        spec.name + " core's " + format_number(spec.synaptic_memory_bits_per_core / 8192.0) + " KB (by " +
                        format_number((worst_bits->synapse_bits - spec.synaptic_memory_bits_per_core) / 8192.0) + " KB)");
    }
    Index low = 1, high = std::min<Index>(g.size, static_cast<Index>(spec.compartments_per_core));
    while (low < high) {
        const Index mid = low + (high - low + 1) / 2;
        if (fits(slice_loads(in, g.size, mid, spec), spec)) low = mid;
        else high = mid - 1;
    }
    // Loads grow with the slice only roughly (slice boundaries move): step down until it fits.
    while (low > 1 && !fits(slice_loads(in, g.size, low, spec), spec)) --low;
    return low;
}

// Cores for every population cut into its slice, in placement order, with their input loads.
void place(const QuantizedNetwork& net, const std::vector<std::uint32_t>& order, const std::vector<Incoming>& incoming,
           const Spec& spec, Placement& placement) {
    placement.cores.clear();
    for (std::uint32_t p : order) {
        const CompartmentGroup& g = net.populations[p];
        if (g.source || g.size == 0) continue;
        const Index slice = placement.slice[p];
        const std::vector<SliceLoad> loads = slice_loads(incoming[p], g.size, slice, spec);
        placement.core_of[p].resize(g.size);
        for (std::size_t c = 0; c < loads.size(); ++c) {
            CoreUse core;
            core.population = p;
            core.first = static_cast<Index>(c) * slice;
            core.count = std::min<Index>(slice, g.size - core.first);
            core.synapse_bits = loads[c].synapse_bits;
            core.input_axons = loads[c].input_axons;
            const auto id = static_cast<std::uint32_t>(placement.cores.size());
            for (Index k = core.first; k < core.first + core.count; ++k) placement.core_of[p][k] = id;
            placement.cores.push_back(core);
        }
    }
}

// Output axons of every core: distinct destination cores of each of its neurons, summed.
void count_output_axons(const QuantizedNetwork& net, Placement& placement) {
    for (CoreUse& core : placement.cores) core.output_axons = 0;
    for (std::uint32_t p = 0; p < net.populations.size(); ++p) {
        if (net.populations[p].source) continue;
        const auto destinations = destination_cores(net, placement, p);
        for (Index k = 0; k < destinations.size(); ++k)
            placement.cores[placement.core_of[p][k]].output_axons += static_cast<std::uint32_t>(destinations[k].size());
    }
}

} // namespace

std::vector<std::vector<std::uint32_t>> destination_cores(const QuantizedNetwork& net, const Placement& placement,
                                                          std::uint32_t population) {
    std::vector<std::vector<std::uint32_t>> destinations(net.populations[population].size);
    for (const SynapseGroup& s : net.projections)
        if (s.pre == population)
            for (std::size_t k = 0; k < s.weight.size(); ++k)
                destinations[s.pre_index[k]].push_back(placement.core_of[s.post][s.post_index[k]]);
    for (auto& d : destinations) {
        std::sort(d.begin(), d.end());
        d.erase(std::unique(d.begin(), d.end()), d.end());
    }
    return destinations;
}

Placement map_network(const QuantizedNetwork& net) {
    net.validate();
    const Spec& spec = chip_spec(net.chip);
    Placement placement;
    placement.chip = net.chip;
    placement.core_of.resize(net.populations.size());
    placement.slice.assign(net.populations.size(), 0);
    const std::vector<std::uint32_t> order = placement_order(net);
    std::vector<Incoming> incoming(net.populations.size());
    for (std::uint32_t p : order) {
        if (net.populations[p].source || net.populations[p].size == 0) continue;
        incoming[p] = incoming_of(net, p, spec);
        placement.slice[p] = largest_input_slice(net, p, incoming[p], spec);
    }
    // Output axons depend on where the targets lie: shrink the slices of populations whose cores
    // send to too many destinations, and place again, until every core fits.
    const auto limit = static_cast<std::uint32_t>(spec.max_fan_out_axons);
    for (int round = 0;; ++round) {
        place(net, order, incoming, spec, placement);
        count_output_axons(net, placement);
        std::vector<std::uint32_t> worst(net.populations.size(), 0);
        for (const CoreUse& core : placement.cores) worst[core.population] = std::max(worst[core.population], core.output_axons);
        bool changed = false;
        for (std::uint32_t p = 0; p < worst.size(); ++p) {
            if (worst[p] <= limit) continue;
            if (placement.slice[p] == 1 || round == 32)
                throw Error(ErrorCode::hardware_constraint,
                            "population '" + net.populations[p].name + "': a core needs " + std::to_string(worst[p]) +
                                " output axons, more than a " + spec.name + " core's " + std::to_string(limit) + " (by " +
                                std::to_string(worst[p] - limit) + ")");
            const double shrink = static_cast<double>(limit) / static_cast<double>(worst[p]);
            placement.slice[p] = std::max<Index>(1, static_cast<Index>(std::floor(placement.slice[p] * shrink)));
            while (placement.slice[p] > 1 && !fits(slice_loads(incoming[p], net.populations[p].size, placement.slice[p], spec), spec))
                --placement.slice[p];
            changed = true;
        }
        if (!changed) break;
    }
    placement.chips = static_cast<int>((placement.cores.size() + spec.cores_per_chip - 1) / spec.cores_per_chip);
    return placement;
}

std::vector<UsageLine> usage(const QuantizedNetwork& net, const Placement& placement) {
    const Spec& spec = chip_spec(net.chip);
    std::vector<UsageLine> lines{{"cores", static_cast<double>(placement.cores.size()), ""},
                                 {"chips", static_cast<double>(placement.chips), ""}};
    if (placement.cores.empty()) return lines;
    auto add = [&](const std::string& what, double limit, auto value_of) {
        double sum = 0.0, top = 0.0;
        for (const CoreUse& c : placement.cores) {
            const double u = value_of(c) / limit;
            sum += u;
            top = std::max(top, u);
        }
        lines.push_back({what + " utilisation (mean)", 100.0 * sum / static_cast<double>(placement.cores.size()), "%"});
        lines.push_back({what + " utilisation (max)", 100.0 * top, "%"});
    };
    add("compartment", spec.compartments_per_core, [](const CoreUse& c) { return static_cast<double>(c.count); });
    add("synaptic memory", spec.synaptic_memory_bits_per_core, [](const CoreUse& c) { return c.synapse_bits; });
    add("input axon", spec.max_fan_in_axons, [](const CoreUse& c) { return static_cast<double>(c.input_axons); });
    add("output axon", spec.max_fan_out_axons, [](const CoreUse& c) { return static_cast<double>(c.output_axons); });
    return lines;
}

} // namespace spikegraph::loihi
