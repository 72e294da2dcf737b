// plasticity/training: a trainable model in float or double, fit / evaluate / gradients from NumPy.
#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <string>
#include <variant>

#include "core/error.hpp"
#include "plasticity/training/trainer.hpp"
#include "python/src/bindings.hpp"

namespace py = pybind11;

namespace spikegraph::python {

namespace {

using namespace spikegraph::training;
using Index = training::Index;
using FloatArray = py::array_t<float, py::array::c_style | py::array::forcecast>;
using LabelArray = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

template <class T>
T get(const py::dict& d, const char* key, T fallback) {
    return d.contains(key) ? d[key].cast<T>() : fallback;
}

LayerSpec layer_from(const py::dict& d) {
    LayerSpec spec;
    spec.inputs = get<Index>(d, "inputs", 0);
    spec.size = get<Index>(d, "size", 0);
    spec.recurrent = get<bool>(d, "recurrent", false);
    spec.bias = get<bool>(d, "bias", true);
    NeuronSpec& n = spec.neuron;
    n.model = neuron_model_named(get<std::string>(d, "model", "lif"));
    n.beta = get<double>(d, "beta", n.beta);
    n.alpha = get<double>(d, "alpha", n.alpha);
    n.threshold = get<double>(d, "threshold", n.threshold);
    n.reset = reset_kind_named(get<std::string>(d, "reset", "subtract"));
    n.reset_delay = get<bool>(d, "reset_delay", n.reset_delay);
    n.detach_reset = get<bool>(d, "detach_reset", n.detach_reset);
    n.surrogate = Surrogate::named(get<std::string>(d, "surrogate", "atan"),
                                   get<double>(d, "slope", std::numeric_limits<double>::quiet_NaN()));
    n.smooth_spikes = get<bool>(d, "smooth_spikes", false);
    return spec;
}

LossSpec loss_from(const py::dict& d) {
    LossSpec loss;
    loss.kind = loss_kind_named(get<std::string>(d, "loss", "ce_count"));
    loss.on_rate = get<double>(d, "on_rate", loss.on_rate);
    loss.off_rate = get<double>(d, "off_rate", loss.off_rate);
    return loss;
}

Algorithm algorithm_named(const std::string& name) {
    if (name == "bptt") return Algorithm::bptt;
    if (name == "sltt") return Algorithm::sltt;
    if (name == "sltt_k") return Algorithm::sltt_k;
    throw Error(ErrorCode::invalid_parameter, "algorithm '" + name + "' is unknown (bptt, sltt, sltt_k)");
}

TrainOptions options_from(const py::dict& d) {
    TrainOptions o;
    o.loss = loss_from(d);
    o.algorithm = algorithm_named(get<std::string>(d, "algorithm", "bptt"));
    o.sltt_k = get<Index>(d, "sltt_k", 0);
    o.epochs = get<Index>(d, "epochs", 1);
    o.batch_size = get<Index>(d, "batch_size", 32);
    o.chunk = get<Index>(d, "chunk", 16);
    o.threads = get<int>(d, "threads", 0);
    o.seed = get<Seed>(d, "seed", 1);
    o.shuffle = get<bool>(d, "shuffle", true);
    const std::string schedule = get<std::string>(d, "schedule", "constant");
    if (schedule != "constant" && schedule != "cosine")
        throw Error(ErrorCode::invalid_parameter, "schedule '" + schedule + "' is unknown (constant, cosine)");
    o.cosine_schedule = schedule == "cosine";
    o.trainable = get<std::vector<bool>>(d, "trainable", {});
    OptimizerSpec& opt = o.optimizer;
    opt.kind = optimizer_kind_named(get<std::string>(d, "optimizer", "adam"));
    opt.lr = get<double>(d, "lr", opt.lr);
    opt.beta1 = get<double>(d, "beta1", opt.beta1);
    opt.beta2 = get<double>(d, "beta2", opt.beta2);
    opt.eps = get<double>(d, "eps", opt.eps);
    opt.momentum = get<double>(d, "momentum", opt.momentum);
    opt.nesterov = get<bool>(d, "nesterov", opt.nesterov);
    opt.weight_decay = get<double>(d, "weight_decay", opt.weight_decay);
    return o;
}

// Borrowed view of (samples, features) or (samples, steps, features) inputs.
DataView view_of(const FloatArray& x, const LabelArray* labels, Index steps, const char* what) {
    DataView v;
    v.x = x.data();
    if (x.ndim() == 2) {
        v.samples = x.shape(0);
        v.features = x.shape(1);
        v.steps = steps;
        if (steps < 1)
            throw Error(ErrorCode::invalid_parameter, std::string(what) + ": static inputs of shape (samples, features) need steps >= 1");
    } else if (x.ndim() == 3) {
        v.samples = x.shape(0);
        v.steps = x.shape(1);
        v.features = x.shape(2);
        v.sequence = true;
        if (steps > 0 && steps != v.steps)
            throw Error(ErrorCode::invalid_parameter, std::string(what) + ": steps = " + std::to_string(steps) + " but the inputs hold " +
                                                          std::to_string(v.steps) + " steps");
    } else {
        throw Error(ErrorCode::invalid_parameter, std::string(what) + ": inputs must have shape (samples, features) or "
                                                                      "(samples, steps, features), not " + std::to_string(x.ndim()) + " dimensions");
    }
    if (labels) {
        if (labels->ndim() != 1 || labels->shape(0) != v.samples)
            throw Error(ErrorCode::invalid_parameter, std::string(what) + ": labels must have shape (" + std::to_string(v.samples) + ",)");
        v.labels = labels->data();
    }
    return v;
}

template <class S>
py::list parameters_to_python(const Parameters<S>& params) {
    py::list out;
    for (const LayerParams<S>& p : params) {
        py::dict d;
        d["w"] = py::cast(Eigen::MatrixXd(p.w.template cast<double>()));
        if (p.v.size()) d["v"] = py::cast(Eigen::MatrixXd(p.v.template cast<double>()));
        if (p.b.size()) d["b"] = py::cast(Eigen::VectorXd(p.b.template cast<double>()));
        out.append(d);
    }
    return out;
}

// A forward pass over all of `data` at once, without gradients (outputs, presynaptic activity).
template <class S>
struct WholeDataPass {
    static const DataView& checked(const Model<S>& m, const DataView& data) {
        data.validate(m.inputs(), m.outputs(), "data");
        return data;
    }
    static LossSpec readout(const Model<S>& m) {
        LossSpec loss;
        loss.kind = m.layers().back().neuron.spiking() ? LossKind::ce_count : LossKind::ce_max_membrane;
        return loss;
    }
    WholeDataPass(const Model<S>& m, const DataView& data)
        : unroller(m, readout(m), checked(m, data).steps, data.samples, Algorithm::sltt), ids(data.samples) {
        for (Index i = 0; i < data.samples; ++i) ids[i] = i;
    }
    Unroller<S> unroller;
    std::vector<Index> ids;
};

class TrainingModel {
public:
    TrainingModel(const py::list& layers, const std::string& precision, Seed seed) {
        std::vector<LayerSpec> specs;
        for (const auto& layer : layers) specs.push_back(layer_from(layer.cast<py::dict>()));
        if (precision == "float") model_.emplace<Model<float>>(std::move(specs));
        else if (precision == "double") model_.emplace<Model<double>>(std::move(specs));
        else throw Error(ErrorCode::invalid_parameter, "precision '" + precision + "' is unknown (float, double)");
        std::visit([&](auto& m) { m.initialize(seed); }, model_);
    }

    py::list fit(const FloatArray& x, const LabelArray& y, Index steps, const py::dict& options, const py::object& validation,
                 const std::function<void(Index, Index)>& on_batch, const std::function<bool(py::dict)>& on_epoch) {
        TrainOptions o = options_from(options);
        const DataView train = view_of(x, &y, steps, "training data");
        FloatArray vx;
        LabelArray vy;
        DataView valid;
        const bool has_validation = !validation.is_none();
        if (has_validation) {
            const auto pair = validation.cast<py::tuple>();
            vx = pair[0].cast<FloatArray>();
            vy = pair[1].cast<LabelArray>();
            valid = view_of(vx, &vy, train.steps, "validation data");
        }
        if (on_batch) o.on_batch = [&](Index done, Index total) {
            py::gil_scoped_acquire gil;
            if (PyErr_CheckSignals() != 0) throw py::error_already_set();
            on_batch(done, total);
        };
        if (on_epoch) o.on_epoch = [&](const EpochRecord& r) {
            py::gil_scoped_acquire gil;
            return on_epoch(record_to_python(r));
        };
        // HLOP: per layer an orthonormal basis H (k × inputs) of earlier tasks' presynaptic
        // activity, or None; weight gradients lose their component in it, biases stay.
        std::vector<Eigen::MatrixXd> projection;
        if (options.contains("projection") && !options["projection"].is_none())
            for (const auto& h : options["projection"].cast<py::list>())
                projection.push_back(h.is_none() ? Eigen::MatrixXd() : h.cast<Eigen::MatrixXd>());
        std::vector<EpochRecord> history;
        {
            py::gil_scoped_release release;
            std::visit(
                [&](auto& m) {
                    using S = typename std::decay_t<decltype(m)>::Scalar;
                    std::function<void(Parameters<S>&)> project;
                    if (!projection.empty()) {
                        if (projection.size() != m.layers().size())
                            throw Error(ErrorCode::invalid_parameter, "projection: " + std::to_string(projection.size()) +
                                                                          " entries for " + std::to_string(m.layers().size()) + " layers");
                        std::vector<Matrix<S>> bases;
                        for (std::size_t l = 0; l < projection.size(); ++l) {
                            if (projection[l].size() && projection[l].cols() != m.layers()[l].inputs)
                                throw Error(ErrorCode::invalid_parameter, "projection: layer " + std::to_string(l) + " basis has " +
                                                                              std::to_string(projection[l].cols()) + " columns, the layer " +
                                                                              std::to_string(m.layers()[l].inputs) + " inputs");
                            bases.push_back(projection[l].template cast<S>());
                        }
                        project = [bases](Parameters<S>& grads) {
                            for (std::size_t l = 0; l < grads.size(); ++l) {
                                if (bases[l].size()) grads[l].w -= (grads[l].w * bases[l].transpose()) * bases[l];
                                grads[l].b.setZero();
                            }
                        };
                    }
                    history = training::fit(m, train, has_validation ? &valid : nullptr, o, project);
                },
                model_);
        }
        py::list out;
        for (const EpochRecord& r : history) out.append(record_to_python(r));
        return out;
    }

    py::dict evaluate(const FloatArray& x, const py::object& y, Index steps, const py::dict& loss, int threads) {
        LabelArray labels;
        if (!y.is_none()) labels = y.cast<LabelArray>();
        const DataView data = view_of(x, y.is_none() ? nullptr : &labels, steps, "data");
        const LossSpec spec = loss_from(loss);
        Evaluation result;
        {
            py::gil_scoped_release release;
            std::visit([&](auto& m) { result = training::evaluate(m, data, spec, threads); }, model_);
        }
        py::dict out;
        out["loss"] = y.is_none() ? std::numeric_limits<double>::quiet_NaN() : result.loss;
        out["accuracy"] = y.is_none() ? std::numeric_limits<double>::quiet_NaN() : result.accuracy;
        out["predictions"] = py::array(static_cast<py::ssize_t>(result.predictions.size()), result.predictions.data());
        const Index classes = std::visit([](auto& m) { return m.outputs(); }, model_);
        py::array_t<double> outputs({static_cast<py::ssize_t>(data.samples), static_cast<py::ssize_t>(classes)});
        std::copy(result.outputs.begin(), result.outputs.end(), outputs.mutable_data());
        out["outputs"] = outputs;
        return out;
    }

    py::tuple loss_and_gradient(const FloatArray& x, const LabelArray& y, Index steps, const py::dict& loss, const std::string& algorithm) {
        const DataView data = view_of(x, &y, steps, "data");
        const LossSpec spec = loss_from(loss);
        return std::visit(
            [&](auto& m) {
                using S = typename std::decay_t<decltype(m)>::Scalar;
                Parameters<S> grads;
                const double value = training::loss_and_gradient(m, data, spec, algorithm_named(algorithm), grads);
                return py::make_tuple(value, parameters_to_python(grads));
            },
            model_);
    }

    py::list layer_inputs(const FloatArray& x, Index steps) {
        const DataView data = view_of(x, nullptr, steps, "data");
        return std::visit(
            [&](auto& m) {
                using S = typename std::decay_t<decltype(m)>::Scalar;
                WholeDataPass<S> pass(m, data);
                std::vector<Matrix<S>> rates;
                pass.unroller.layer_inputs(data, pass.ids.data(), data.samples, rates);
                py::list out;
                for (const Matrix<S>& r : rates) out.append(py::cast(Eigen::MatrixXd(r.transpose().template cast<double>())));
                return out;
            },
            model_);
    }

    py::list parameters() const {
        return std::visit([](auto& m) { return parameters_to_python(m.parameters()); }, model_);
    }

    void set_parameters(const py::list& values) {
        std::visit(
            [&](auto& m) {
                using S = typename std::decay_t<decltype(m)>::Scalar;
                auto& params = m.parameters();
                if (values.size() != params.size())
                    throw Error(ErrorCode::invalid_parameter, "set_parameters: " + std::to_string(values.size()) + " layers given, the model has " +
                                                                  std::to_string(params.size()));
                auto params_copy = params;
                for (std::size_t l = 0; l < params.size(); ++l) {
                    const py::dict d = values[l].cast<py::dict>();
                    auto assign = [&](const char* key, auto& target) {
                        if (!d.contains(key)) return;
                        const auto value = d[key].cast<Eigen::MatrixXd>();
                        if (value.size() != target.size() || (target.cols() > 1 && value.rows() != target.rows()))
                            throw Error(ErrorCode::invalid_parameter, "set_parameters: layer " + std::to_string(l) + " " + key + " has shape (" +
                                                                          std::to_string(value.rows()) + ", " + std::to_string(value.cols()) +
                                                                          "), expected (" + std::to_string(target.rows()) + ", " +
                                                                          std::to_string(target.cols()) + ")");
                        target = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic>>(value.data(), target.rows(), target.cols())
                                     .template cast<S>();
                    };
                    assign("w", params_copy[l].w);
                    assign("v", params_copy[l].v);
                    assign("b", params_copy[l].b);
                }
                params.swap(params_copy);
                m.check_finite("set from Python");
            },
            model_);
    }

    py::array_t<double> output_trace(const FloatArray& x, Index steps) {
        const DataView data = view_of(x, nullptr, steps, "data");
        return std::visit(
            [&](auto& m) {
                using S = typename std::decay_t<decltype(m)>::Scalar;
                WholeDataPass<S> pass(m, data);
                std::vector<S> trace(static_cast<std::size_t>(data.steps * m.outputs() * data.samples));
                pass.unroller.output_trace(data, pass.ids.data(), data.samples, trace.data());
                // step-major (steps, samples, classes) → (samples, steps, classes)
                py::array_t<double> out({static_cast<py::ssize_t>(data.samples), static_cast<py::ssize_t>(data.steps),
                                         static_cast<py::ssize_t>(m.outputs())});
                auto o = out.mutable_unchecked<3>();
                for (Index t = 0; t < data.steps; ++t)
                    for (Index b = 0; b < data.samples; ++b)
                        for (Index k = 0; k < m.outputs(); ++k)
                            o(b, t, k) = static_cast<double>(trace[static_cast<std::size_t>((t * data.samples + b) * m.outputs() + k)]);
                return out;
            },
            model_);
    }

    std::string precision() const { return model_.index() == 0 ? "float" : "double"; }

private:
    static py::dict record_to_python(const EpochRecord& r) {
        py::dict d;
        d["epoch"] = r.epoch;
        d["loss"] = r.loss;
        d["accuracy"] = r.accuracy;
        d["val_loss"] = r.validation_loss;
        d["val_accuracy"] = r.validation_accuracy;
        d["seconds"] = r.seconds;
        d["state_bytes"] = r.state_bytes;
        return d;
    }

    std::variant<Model<float>, Model<double>> model_{std::in_place_type<Model<float>>, std::vector<LayerSpec>{LayerSpec{1, 1}}};
};

} // namespace

void bind_training(py::module_& m) {
    py::class_<TrainingModel>(m, "TrainingModel")
        .def(py::init<const py::list&, const std::string&, Seed>(), py::arg("layers"), py::arg("precision") = "float", py::arg("seed") = 1)
        .def("fit", &TrainingModel::fit, py::arg("x"), py::arg("y"), py::arg("steps"), py::arg("options"), py::arg("validation"),
             py::arg("on_batch"), py::arg("on_epoch"))
        .def("evaluate", &TrainingModel::evaluate, py::arg("x"), py::arg("y"), py::arg("steps"), py::arg("loss"), py::arg("threads") = 0)
        .def("loss_and_gradient", &TrainingModel::loss_and_gradient, py::arg("x"), py::arg("y"), py::arg("steps"), py::arg("loss"),
             py::arg("algorithm") = "bptt")
        .def("layer_inputs", &TrainingModel::layer_inputs, py::arg("x"), py::arg("steps") = 0)
        .def("parameters", &TrainingModel::parameters)
        .def("set_parameters", &TrainingModel::set_parameters)
        .def("output_trace", &TrainingModel::output_trace, py::arg("x"), py::arg("steps") = 0)
        .def_property_readonly("precision", &TrainingModel::precision);
}

} // namespace spikegraph::python
