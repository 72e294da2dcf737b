// hardware/ and the emulators behind it: Loihi quantization, placement, cost, emulator.
#include <optional>

#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "backends/loihi/emulator.hpp"
#include "core/error.hpp"
#include "hardware/loihi/cost.hpp"
#include "hardware/loihi/map.hpp"
#include "hardware/loihi/quantize.hpp"
#include "hardware/loihi/spec.hpp"
#include "neurons/sources.hpp"
#include "python/src/bindings.hpp"

namespace py = pybind11;

namespace spikegraph::python {

namespace {

using loihi::QuantizedNetwork;

template <class T>
py::array_t<T> to_array(const std::vector<T>& values) {
    return py::array_t<T>(static_cast<py::ssize_t>(values.size()), values.data());
}

py::dict population_dict(const loihi::CompartmentGroup& g) {
    py::dict d(py::arg("name") = g.name, py::arg("size") = g.size, py::arg("source") = static_cast<bool>(g.source));
    if (g.source) {
        d["model"] = std::string(g.source->model->name);
        return d;
    }
    d["du"] = g.du;
    d["dv"] = g.dv;
    d["vth"] = g.vth;
    d["bias_mant"] = to_array(g.bias_mant);
    d["bias_exp"] = to_array(g.bias_exp);
    d["refractory_steps"] = g.refractory_steps;
    d["u0"] = to_array(g.u0);
    d["v0"] = to_array(g.v0);
    d["voltage_scale"] = g.voltage_scale;
    d["current_scale"] = g.current_scale;
    d["v_rest"] = g.v_rest;
    return d;
}

py::dict projection_dict(const QuantizedNetwork& q, const loihi::SynapseGroup& s) {
    return py::dict(py::arg("name") = s.name, py::arg("pre") = q.populations[s.pre].name,
                    py::arg("post") = q.populations[s.post].name, py::arg("sign_mode") = std::string(loihi::sign_mode_name(s.sign)),
                    py::arg("num_weight_bits") = s.num_weight_bits, py::arg("weight_exp") = s.weight_exp,
                    py::arg("pre_index") = to_array(s.pre_index), py::arg("post_index") = to_array(s.post_index),
                    py::arg("weight") = to_array(s.weight), py::arg("delay") = to_array(s.delay));
}

py::dict cost_dict(const loihi::CostReport& c) {
    return py::dict(py::arg("steps") = c.steps, py::arg("synaptic_ops") = c.synaptic_ops,
                    py::arg("active_updates") = c.active_updates, py::arg("inactive_updates") = c.inactive_updates,
                    py::arg("spikes") = c.spikes, py::arg("input_spikes") = c.input_spikes,
                    py::arg("messages_within_tile") = c.messages_within_tile, py::arg("hops_east_west") = c.hops_east_west,
                    py::arg("hops_north_south") = c.hops_north_south, py::arg("messages_between_chips") = c.messages_between_chips, py::arg("synaptic_energy_pj") = c.synaptic_energy_pj,
                    py::arg("neuron_energy_pj") = c.neuron_energy_pj, py::arg("routing_energy_pj") = c.routing_energy_pj,
                    py::arg("static_energy_pj") = c.static_energy_pj, py::arg("dynamic_energy_pj") = c.dynamic_energy_pj(),
                    py::arg("total_energy_pj") = c.total_energy_pj(), py::arg("energy_per_step_pj") = c.energy_per_step_pj(),
                    py::arg("time_per_step_ns") = c.time_per_step_ns);
}

py::dict placement_dict(const QuantizedNetwork& q, const loihi::Placement& p) {
    py::list cores;
    for (const loihi::CoreUse& c : p.cores)
        cores.append(py::dict(py::arg("population") = q.populations[c.population].name, py::arg("first") = c.first,
                              py::arg("count") = c.count, py::arg("synapse_bits") = c.synapse_bits,
                              py::arg("input_axons") = c.input_axons, py::arg("output_axons") = c.output_axons));
    py::dict usage;
    for (const loihi::UsageLine& line : loihi::usage(q, p)) usage[py::str(line.name)] = line.value;
    return py::dict(py::arg("chip") = p.chip, py::arg("chips") = p.chips, py::arg("cores") = cores, py::arg("usage") = usage);
}

py::dict spec_dict(const loihi::Spec& s) {
    const loihi::EnergyModel& e = s.energy;
    py::dict energy(py::arg("synaptic_op_pj") = e.synaptic_op_pj, py::arg("synaptic_op_ns") = e.synaptic_op_ns,
                    py::arg("neuron_active_pj") = e.neuron_active_pj, py::arg("neuron_active_ns") = e.neuron_active_ns,
                    py::arg("neuron_inactive_pj") = e.neuron_inactive_pj, py::arg("neuron_inactive_ns") = e.neuron_inactive_ns,
                    py::arg("spike_within_tile_pj") = e.spike_within_tile_pj, py::arg("hop_east_west_pj") = e.hop_east_west_pj,
                    py::arg("hop_north_south_pj") = e.hop_north_south_pj, py::arg("barrier_ns") = e.barrier_ns,
                    py::arg("static_power_mw_per_chip") = e.static_power_mw_per_chip, py::arg("source") = e.source);
    return py::dict(py::arg("name") = s.name, py::arg("cores_per_chip") = s.cores_per_chip,
                    py::arg("compartments_per_core") = s.compartments_per_core,
                    py::arg("synaptic_memory_bits_per_core") = s.synaptic_memory_bits_per_core,
                    py::arg("max_fan_in_axons") = s.max_fan_in_axons, py::arg("max_fan_out_axons") = s.max_fan_out_axons,
                    py::arg("weight_bits") = s.weight_bits, py::arg("weight_exp_min") = s.weight_exp_min,
                    py::arg("weight_exp_max") = s.weight_exp_max, py::arg("max_delay_steps") = s.max_delay_steps,
                    py::arg("vth_mantissa_bits") = s.vth_mantissa_bits, py::arg("bias_mantissa_bits") = s.bias_mantissa_bits,
                    py::arg("bias_exp_max") = s.bias_exp_max, py::arg("state_bits") = s.state_bits,
                    py::arg("max_refractory_steps") = s.max_refractory_steps, py::arg("energy") = energy,
                    py::arg("sources") = s.sources);
}

// Applies `change` to a copy and keeps it only if the whole network still validates, so a
// refused addition leaves `q` as it was.
template <class Change>
void add_validated(QuantizedNetwork& q, Change change) {
    QuantizedNetwork trial = q;
    change(trial);
    trial.validate();
    q = std::move(trial);
}

std::vector<Index> as_indices(const std::vector<std::int64_t>& values, const std::string& what) {
    std::vector<Index> out;
    for (std::int64_t v : values) {
        if (v < 0) throw Error(ErrorCode::invalid_parameter, what + ": negative neuron index " + std::to_string(v));
        out.push_back(static_cast<Index>(v));
    }
    return out;
}

} // namespace

void bind_hardware(py::module_& m) {
    m.def("loihi_chip_spec", [](const std::string& name) { return spec_dict(loihi::chip_spec(name)); });
    m.def("loihi_chip_names", &loihi::chip_names);

    py::class_<QuantizedNetwork>(m, "LoihiNetwork", "A network in Loihi integers (use spikegraph.loihi).")
        .def(py::init([](const std::string& chip, double dt) {
                 QuantizedNetwork q;
                 loihi::chip_spec(chip);
                 q.chip = chip;
                 q.dt = dt;
                 return q;
             }),
             py::arg("chip") = "loihi2", py::arg("dt") = 1.0)
        .def_readonly("chip", &QuantizedNetwork::chip)
        .def_readonly("dt", &QuantizedNetwork::dt)
        .def("add_compartments",
             [](QuantizedNetwork& q, const std::string& name, Index size, int du, int dv, std::int64_t vth,
                std::vector<std::int32_t> bias_mant, std::vector<std::int32_t> bias_exp, int refractory_steps,
                std::vector<std::int64_t> u0, std::vector<std::int64_t> v0) {
                 loihi::CompartmentGroup g;
                 g.name = name;
                 g.size = size;
                 g.du = du;
                 g.dv = dv;
                 g.vth = vth;
                 g.bias_mant = bias_mant.empty() ? std::vector<std::int32_t>(size, 0) : std::move(bias_mant);
                 g.bias_exp = bias_exp.empty() ? std::vector<std::int32_t>(size, 0) : std::move(bias_exp);
                 g.refractory_steps = refractory_steps;
                 g.u0 = std::move(u0);
                 g.v0 = std::move(v0);
                 add_validated(q, [&](QuantizedNetwork& trial) { trial.populations.push_back(std::move(g)); });
             },
             py::arg("name"), py::arg("size"), py::arg("du"), py::arg("dv"), py::arg("vth"),
             py::arg("bias_mant") = std::vector<std::int32_t>{}, py::arg("bias_exp") = std::vector<std::int32_t>{},
             py::arg("refractory_steps") = 0, py::arg("u0") = std::vector<std::int64_t>{},
             py::arg("v0") = std::vector<std::int64_t>{})
        .def("add_spike_source",
             [](QuantizedNetwork& q, const std::string& name, const RaggedArray& spike_times) {
                 loihi::CompartmentGroup g;
                 g.name = name;
                 g.size = static_cast<Index>(spike_times.size());
                 g.source = PopulationSpec{name, &SpikeArraySource::info(), g.size, ParamMap{{"spike_times", spike_times}}};
                 q.populations.push_back(std::move(g));
             },
             py::arg("name"), py::arg("spike_times"))
        .def("connect",
             [](QuantizedNetwork& q, const std::string& name, const std::string& pre, const std::string& post,
                const std::vector<std::int64_t>& pre_index, const std::vector<std::int64_t>& post_index,
                const std::vector<std::int64_t>& weights, const std::vector<std::int64_t>& delays, int weight_exp,
                int num_weight_bits, const std::string& sign_mode) {
                 loihi::SynapseGroup s;
                 s.name = name;
                 s.pre = q.population_index(pre);
                 s.post = q.population_index(post);
                 s.sign = loihi::sign_mode_from_name(sign_mode);
                 s.num_weight_bits = num_weight_bits;
                 s.weight_exp = weight_exp;
                 s.pre_index = as_indices(pre_index, "projection '" + name + "' pre");
                 s.post_index = as_indices(post_index, "projection '" + name + "' post");
                 for (std::int64_t w : weights) s.weight.push_back(loihi::effective_weight(w, s.sign, num_weight_bits));
                 for (std::int64_t d : delays) {
                     if (d < 1 || d > 64)
                         throw Error(ErrorCode::hardware_constraint, "projection '" + name + "': a delay of " +
                                                                         std::to_string(d - 1) + " extra steps is outside Loihi's 0..63");
                     s.delay.push_back(static_cast<std::uint32_t>(d));
                 }
                 if (s.delay.empty()) s.delay.assign(s.weight.size(), 1);
                 add_validated(q, [&](QuantizedNetwork& trial) { trial.projections.push_back(std::move(s)); });
             },
             py::arg("name"), py::arg("pre"), py::arg("post"), py::arg("pre_index"), py::arg("post_index"),
             py::arg("weights"), py::arg("delays") = std::vector<std::int64_t>{}, py::arg("weight_exp") = 0,
             py::arg("num_weight_bits") = 8, py::arg("sign_mode") = "mixed")
        .def("record",
             [](QuantizedNetwork& q, const std::string& population, const std::string& variable,
                const std::vector<std::int64_t>& neurons, double interval) {
                 q.records.push_back({PopulationId{q.population_index(population)}, variable,
                                      as_indices(neurons, "record of '" + population + "'"), interval});
             },
             py::arg("population"), py::arg("variable") = "spikes", py::arg("neurons") = std::vector<std::int64_t>{},
             py::arg("interval") = 0.0)
        .def("validate", &QuantizedNetwork::validate)
        .def_property_readonly("populations",
                               [](const QuantizedNetwork& q) {
                                   py::list out;
                                   for (const auto& g : q.populations) out.append(population_dict(g));
                                   return out;
                               })
        .def_property_readonly("projections",
                               [](const QuantizedNetwork& q) {
                                   py::list out;
                                   for (const auto& s : q.projections) out.append(projection_dict(q, s));
                                   return out;
                               })
        .def_property_readonly("errors",
                               [](const QuantizedNetwork& q) {
                                   py::list projections, populations;
                                   for (const auto& e : q.projection_errors)
                                       projections.append(py::dict(
                                           py::arg("projection") = e.projection, py::arg("max_abs_weight") = e.max_abs_weight,
                                           py::arg("max_abs_error") = e.max_abs_error,
                                           py::arg("rms_relative_error") = e.rms_relative_error,
                                           py::arg("weight_exp") = e.weight_exp,
                                           py::arg("sign_mode") = std::string(loihi::sign_mode_name(e.sign))));
                                   for (const auto& e : q.population_errors)
                                       populations.append(py::dict(py::arg("population") = e.population,
                                                                   py::arg("tau_m_effective") = e.tau_m_effective,
                                                                   py::arg("tau_syn_effective") = e.tau_syn_effective,
                                                                   py::arg("max_bias_error") = e.max_bias_error));
                                   return py::dict(py::arg("projections") = projections, py::arg("populations") = populations);
                               })
        .def("map", [](const QuantizedNetwork& q) { return placement_dict(q, loihi::map_network(q)); });

    m.def("loihi_quantize",
          [](const Network& network, const std::string& chip, double dt, std::int64_t threshold_mantissa, std::uint64_t seed,
             std::optional<int> weight_exp, std::optional<int> bias_exp) {
              loihi::QuantizeOptions options;
              options.fixed_weight_exp = weight_exp;
              options.fixed_bias_exp = bias_exp;
              options.chip = chip;
              options.dt = dt;
              options.threshold_mantissa = threshold_mantissa;
              options.seed = seed;
              return loihi::quantize(network, options);
          },
          py::arg("network"), py::arg("chip") = "loihi2", py::arg("dt") = 1.0, py::arg("threshold_mantissa") = 8192,
          py::arg("seed") = 1, py::arg("weight_exp") = std::nullopt, py::arg("bias_exp") = std::nullopt);

    py::class_<loihi::Emulator>(m, "LoihiEmulator", "Runs a LoihiNetwork bit-accurately (use spikegraph.loihi).")
        .def(py::init([](const QuantizedNetwork& q, std::uint64_t seed) { return loihi::Emulator(q, seed); }),
             py::arg("network"), py::arg("seed") = 1)
        .def("run",
             [](loihi::Emulator& self, Step steps, const ProgressCallback& progress) {
                 py::gil_scoped_release release;
                 ProgressCallback wrapped;
                 if (progress)
                     wrapped = [&progress](Step done, Step total, double elapsed) {
                         py::gil_scoped_acquire acquire;
                         progress(done, total, elapsed);
                     };
                 self.run(steps, wrapped);
             },
             py::arg("steps"), py::arg("progress") = ProgressCallback{})
        .def_property_readonly("steps", &loihi::Emulator::steps)
        .def_property_readonly("wall_time", &loihi::Emulator::wall_time)
        .def("spikes",
             [](const loihi::Emulator& self, const std::string& population) {
                 const SpikeRecord& r = self.recording().spikes_of(population);
                 return py::make_tuple(to_array(r.steps), to_array(r.senders));
             })
        .def("trace",
             [](const loihi::Emulator& self, const std::string& population, const std::string& variable) {
                 const StateRecord& r = self.recording().state_of(population, variable);
                 py::array_t<double> values({static_cast<py::ssize_t>(r.steps.size()), static_cast<py::ssize_t>(r.neurons.size())});
                 std::copy(r.values.begin(), r.values.end(), values.mutable_data());
                 return py::make_tuple(to_array(r.steps), values);
             })
        .def("state",
             [](const loihi::Emulator& self, const std::string& population, const std::string& variable) {
                 return to_array(self.state(self.network().population_index(population), variable));
             })
        .def("spike_counts",
             [](const loihi::Emulator& self, const std::string& population) {
                 return to_array(self.activity().spikes.at(self.network().population_index(population)));
             })
        .def("cost", [](const loihi::Emulator& self) { return cost_dict(self.cost(loihi::map_network(self.network()))); });
}

} // namespace spikegraph::python
