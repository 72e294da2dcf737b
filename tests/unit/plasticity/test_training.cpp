// Surrogate-gradient training: BPTT against finite differences of the smooth-spike network,
// SLTT against BPTT where no path crosses steps, SLTT's memory, determinism across threads.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"
#include "plasticity/training/trainer.hpp"

using spikegraph::Error;
using spikegraph::RandomPurpose;
using spikegraph::RandomStream;
using spikegraph::Seed;
using namespace spikegraph::training;

namespace {

struct TrainingData {
    std::vector<float> x;
    std::vector<std::int64_t> labels;
    DataView view;
};

TrainingData random_training_data(Index samples, Index steps, Index features, Index classes, bool sequence, Seed seed) {
    TrainingData d;
    RandomStream stream(seed, 9, RandomPurpose::initial_value, 0);
    d.x.resize(static_cast<std::size_t>(samples * features * (sequence ? steps : 1)));
    for (float& v : d.x) v = static_cast<float>(stream.uniform());
    for (Index i = 0; i < samples; ++i) d.labels.push_back(static_cast<std::int64_t>(stream.below(static_cast<std::uint64_t>(classes))));
    d.view = DataView{d.x.data(), d.labels.data(), samples, steps, features, sequence};
    return d;
}

struct Config {
    std::string name;
    NeuronModel hidden = NeuronModel::lif, output = NeuronModel::lif;
    ResetKind reset = ResetKind::subtract;
    bool reset_delay = false, recurrent = false, sequence = false;
    SurrogateKind surrogate = SurrogateKind::atan;
    LossKind loss = LossKind::ce_count;
};

Model<double> make_model(const Config& c, Index inputs, Index hidden, Index classes, bool smooth, bool detach, double beta = 0.85,
                         double alpha = 0.7) {
    NeuronSpec neuron;
    neuron.beta = beta;
    neuron.alpha = alpha;
    neuron.threshold = 0.6;
    neuron.reset = c.reset;
    neuron.reset_delay = c.reset_delay;
    neuron.detach_reset = detach;
    neuron.surrogate.kind = c.surrogate;
    neuron.surrogate.slope = c.surrogate == SurrogateKind::triangle ? 0.8 : Surrogate::default_slope(c.surrogate) / 4.0;
    neuron.smooth_spikes = smooth;
    LayerSpec first{inputs, hidden, c.recurrent, true, neuron};
    first.neuron.model = c.hidden;
    LayerSpec second{hidden, classes, false, true, neuron};
    second.neuron.model = c.output;
    Model<double> model({first, second});
    model.initialize(7);
    for (auto& p : model.parameters()) p.w *= 2.0; // membranes near threshold, where the surrogate is large
    return model;
}

double relative_error(const Parameters<double>& a, const Parameters<double>& b, double& reference_norm) {
    double diff = 0.0, norm = 0.0;
    for (std::size_t l = 0; l < a.size(); ++l) {
        diff += (a[l].w - b[l].w).squaredNorm() + (a[l].v - b[l].v).squaredNorm() + (a[l].b - b[l].b).squaredNorm();
        norm += b[l].w.squaredNorm() + b[l].v.squaredNorm() + b[l].b.squaredNorm();
    }
    reference_norm = std::sqrt(norm);
    return std::sqrt(diff / norm);
}

Parameters<double> finite_differences(Model<double>& model, const DataView& data, const LossSpec& loss) {
    Parameters<double> fd = zeros_like<double>(model.layers());
    Parameters<double> scratch;
    const double eps = 1e-6;
    for (std::size_t l = 0; l < fd.size(); ++l) {
        std::vector<Eigen::Map<Eigen::ArrayXd>> params, out;
        model.parameters()[l].for_each_block([&](auto block) { params.push_back(block); });
        fd[l].for_each_block([&](auto block) { out.push_back(block); });
        for (std::size_t k = 0; k < params.size(); ++k)
            for (Index i = 0; i < params[k].size(); ++i) {
                const double saved = params[k](i);
                params[k](i) = saved + eps;
                const double up = loss_and_gradient(model, data, loss, Algorithm::bptt, scratch);
                params[k](i) = saved - eps;
                const double down = loss_and_gradient(model, data, loss, Algorithm::bptt, scratch);
                params[k](i) = saved;
                out[k](i) = (up - down) / (2.0 * eps);
            }
    }
    return fd;
}

} // namespace

TEST_CASE("BPTT equals finite differences of the smooth-spike network") {
    const std::vector<Config> configs = {
        {"lif/lif subtract atan ce_count static", NeuronModel::lif, NeuronModel::lif},
        {"lif/lif zero fast_sigmoid mse_count sequence", NeuronModel::lif, NeuronModel::lif, ResetKind::zero, false, false, true,
         SurrogateKind::fast_sigmoid, LossKind::mse_count},
        {"cuba/lif delayed subtract sigmoid ce_count", NeuronModel::cuba_lif, NeuronModel::lif, ResetKind::subtract, true, false,
         false, SurrogateKind::sigmoid, LossKind::ce_count},
        {"recurrent lif/li triangle ce_max_membrane", NeuronModel::lif, NeuronModel::li, ResetKind::subtract, false, true, true,
         SurrogateKind::triangle, LossKind::ce_max_membrane},
        {"recurrent cuba/li none atan ce_per_step", NeuronModel::cuba_lif, NeuronModel::li, ResetKind::none, false, true, false,
         SurrogateKind::atan, LossKind::ce_per_step},
        {"lif/lif zero atan ce_per_step spikes", NeuronModel::lif, NeuronModel::lif, ResetKind::zero, true, true, true,
         SurrogateKind::atan, LossKind::ce_per_step},
        {"cuba/cuba subtract fast_sigmoid ce_max_membrane", NeuronModel::cuba_lif, NeuronModel::cuba_lif, ResetKind::subtract, false,
         false, true, SurrogateKind::fast_sigmoid, LossKind::ce_max_membrane},
    };
    for (const Config& c : configs) {
        CAPTURE(c.name);
        TrainingData data = random_training_data(3, 9, 3, 4, c.sequence, 11);
        Model<double> model = make_model(c, 3, 6, 4, true, false);
        LossSpec loss;
        loss.kind = c.loss;
        loss.on_rate = 0.6;
        loss.off_rate = 0.1;
        Parameters<double> grads;
        loss_and_gradient(model, data.view, loss, Algorithm::bptt, grads);
        const Parameters<double> fd = finite_differences(model, data.view, loss);
        double norm = 0.0;
        const double error = relative_error(grads, fd, norm);
        CHECK(norm > 1e-3); // a gradient worth checking
        CHECK(error < 1e-4);
    }
}

TEST_CASE("SLTT equals BPTT when no path crosses steps, and differs when one does") {
    for (LossKind kind : {LossKind::ce_count, LossKind::ce_per_step, LossKind::ce_max_membrane}) {
        CAPTURE(name_of(kind));
        Config c;
        c.hidden = NeuronModel::cuba_lif;
        c.output = kind == LossKind::ce_max_membrane ? NeuronModel::li : NeuronModel::lif;
        c.sequence = true;
        c.loss = kind;
        TrainingData data = random_training_data(5, 12, 3, 4, true, 3);
        LossSpec loss;
        loss.kind = kind;
        Model<double> memoryless = make_model(c, 3, 8, 4, false, true, 0.0, 0.0);
        Parameters<double> bptt, sltt;
        const double loss_bptt = loss_and_gradient(memoryless, data.view, loss, Algorithm::bptt, bptt);
        const double loss_sltt = loss_and_gradient(memoryless, data.view, loss, Algorithm::sltt, sltt);
        double norm = 0.0;
        CHECK(loss_bptt == doctest::Approx(loss_sltt).epsilon(1e-12));
        CHECK(relative_error(sltt, bptt, norm) < 1e-12);
        CHECK(norm > 0.0);

        Model<double> leaky = make_model(c, 3, 8, 4, false, true);
        loss_and_gradient(leaky, data.view, loss, Algorithm::bptt, bptt);
        loss_and_gradient(leaky, data.view, loss, Algorithm::sltt, sltt);
        CHECK(relative_error(sltt, bptt, norm) > 1e-3);
    }
}

TEST_CASE("SLTT holds the same state for 25 and 200 steps; BPTT's grows with the steps") {
    Config c;
    LossSpec loss;
    Model<double> model = make_model(c, 3, 50, 4, false, true);
    auto bytes = [&](Index steps, Algorithm algorithm) {
        TrainingData data = random_training_data(16, steps, 3, 4, false, 5);
        Unroller<double> unroller(model, loss, steps, 16, algorithm);
        std::vector<Index> ids(16);
        for (Index i = 0; i < 16; ++i) ids[i] = i;
        Parameters<double> grads = zeros_like<double>(model.layers());
        unroller.gradient(data.view, ids.data(), 16, 1.0 / 16, nullptr, grads);
        return unroller.state_bytes();
    };
    CHECK(bytes(25, Algorithm::sltt) == bytes(200, Algorithm::sltt));
    const double growth = static_cast<double>(bytes(200, Algorithm::bptt)) / static_cast<double>(bytes(25, Algorithm::bptt));
    CHECK(growth > 6.0);
}

TEST_CASE("training learns a separable task, the same for one and two threads") {
    // Class k: the input's largest feature is k.
    const Index samples = 256, features = 4;
    TrainingData data = random_training_data(samples, 20, features, features, false, 21);
    for (Index i = 0; i < samples; ++i) {
        Index best = 0;
        for (Index f = 1; f < features; ++f)
            if (data.x[i * features + f] > data.x[i * features + best]) best = f;
        data.labels[i] = best;
    }
    auto train = [&](int threads, Algorithm algorithm) {
        NeuronSpec neuron;
        Model<float> model({LayerSpec{features, 32, false, true, neuron}, LayerSpec{32, features, false, true, neuron}});
        model.initialize(3);
        TrainOptions options;
        options.epochs = 15;
        options.optimizer.lr = 5e-3;
        options.threads = threads;
        options.algorithm = algorithm;
        options.sltt_k = 5;
        const auto history = fit(model, data.view, &data.view, options);
        return std::make_pair(model.parameters(), history.back());
    };
    const auto [params1, last1] = train(1, Algorithm::bptt);
    const auto [params2, last2] = train(2, Algorithm::bptt);
    CHECK(last1.validation_accuracy > 0.85);
    CHECK(last1.loss == last2.loss);
    for (std::size_t l = 0; l < params1.size(); ++l) CHECK(params1[l].w == params2[l].w);
    CHECK(train(2, Algorithm::sltt).second.validation_accuracy > 0.8);
    CHECK(train(2, Algorithm::sltt_k).second.validation_accuracy > 0.7);
}

TEST_CASE("bad training input names the culprit") {
    NeuronSpec neuron;
    Model<float> model({LayerSpec{3, 4, false, true, neuron}, LayerSpec{4, 2, false, true, neuron}});
    TrainingData data = random_training_data(4, 5, 3, 2, false, 1);
    TrainOptions options;
    auto message = [&](auto&& f) {
        try {
            f();
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    data.labels[2] = 5;
    CHECK(message([&] { fit(model, data.view, nullptr, options); }).find("label 5 of sample 2") != std::string::npos);
    data.labels[2] = 1;
    data.x[4] = std::nanf("");
    CHECK(message([&] { fit(model, data.view, nullptr, options); }).find("sample 1") != std::string::npos);
    data.x[4] = 0.5f;
    DataView wrong = data.view;
    wrong.features = 2;
    CHECK(message([&] { fit(model, wrong, nullptr, options); }).find("2 features") != std::string::npos);
    neuron.beta = 1.5;
    CHECK(message([&] { Model<float>({LayerSpec{3, 4, false, true, neuron}}); }).find("beta") != std::string::npos);
    NeuronSpec li;
    li.model = NeuronModel::li;
    Model<float> readout({LayerSpec{3, 2, false, true, li}});
    CHECK(message([&] { fit(readout, data.view, nullptr, options); }).find("li readout") != std::string::npos);
    options.optimizer.lr = -1;
    CHECK(message([&] { fit(model, data.view, nullptr, options); }).find("lr") != std::string::npos);
}
