#include "plasticity/training/trainer.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "core/error.hpp"
#include "core/random.hpp"

namespace spikegraph::training {

namespace {

[[noreturn]] void fail(const std::string& what) { throw Error(ErrorCode::invalid_parameter, "training: " + what); }

// total += factor part, block by block (empty blocks stay empty).
template <class S>
void add_into(Parameters<S>& total, const Parameters<S>& part, S factor = S(1)) {
    for (std::size_t l = 0; l < total.size(); ++l) {
        total[l].w += factor * part[l].w;
        total[l].v += factor * part[l].v;
        total[l].b += factor * part[l].b;
    }
}

template <class S>
void set_zero(Parameters<S>& params) {
    for (LayerParams<S>& p : params) {
        p.w.setZero();
        p.v.setZero();
        p.b.setZero();
    }
}

int arena_threads(int threads) { return threads > 0 ? threads : tbb::task_arena::automatic; }

// The chunks [begin, end) of `count` samples.
std::vector<std::pair<Index, Index>> chunks_of(Index count, Index chunk) {
    std::vector<std::pair<Index, Index>> result;
    for (Index begin = 0; begin < count; begin += chunk) result.emplace_back(begin, std::min(count, begin + chunk));
    return result;
}

} // namespace

void DataView::validate(Index inputs, Index classes, std::string_view object) const {
    const std::string name(object);
    if (samples < 1) fail(name + ": no samples");
    if (steps < 1) fail(name + ": steps = " + std::to_string(steps) + " must be at least 1");
    if (features != inputs)
        throw Error(ErrorCode::invalid_network, "training: " + name + " has " + std::to_string(features) +
                                                    " features per sample but the model's first layer takes " + std::to_string(inputs));
    const Index values = samples * features * (sequence ? steps : 1);
    for (Index i = 0; i < values; ++i)
        if (!std::isfinite(x[i])) {
            const Index per_sample = features * (sequence ? steps : 1);
            fail(name + ": input value " + std::to_string(x[i]) + " of sample " + std::to_string(i / per_sample) +
                 " (feature " + std::to_string(i % features) + ") is not finite");
        }
    if (labels)
        for (Index i = 0; i < samples; ++i)
            if (labels[i] < 0 || labels[i] >= classes)
                fail(name + ": label " + std::to_string(labels[i]) + " of sample " + std::to_string(i) + " is outside [0, " +
                     std::to_string(classes) + ") (the output layer has " + std::to_string(classes) + " neurons)");
}

void TrainOptions::validate(Index steps) const {
    if (epochs < 0) fail("epochs = " + std::to_string(epochs) + " must be >= 0");
    if (batch_size < 1) fail("batch_size = " + std::to_string(batch_size) + " must be at least 1");
    if (chunk < 1) fail("chunk = " + std::to_string(chunk) + " must be at least 1");
    if (threads < 0) fail("threads = " + std::to_string(threads) + " must be >= 0 (0: all cores)");
    if (algorithm == Algorithm::sltt_k && (sltt_k < 1 || sltt_k > steps))
        fail("sltt_k = " + std::to_string(sltt_k) + " must lie in [1, steps = " + std::to_string(steps) + "]");
    optimizer.validate();
}

template <class S>
std::vector<EpochRecord> fit(Model<S>& model, const DataView& train, const DataView* validation, const TrainOptions& options,
                             const std::function<void(Parameters<S>&)>& project) {
    const Index classes = model.outputs();
    if (!train.labels) fail("the training data has no labels");
    train.validate(model.inputs(), classes, "training data");
    if (validation) validation->validate(model.inputs(), classes, "validation data");
    options.validate(train.steps);
    options.loss.validate(model.layers().back().neuron.spiking());
    if (!options.trainable.empty() && options.trainable.size() != model.layers().size())
        fail("trainable lists " + std::to_string(options.trainable.size()) + " layers, the model has " +
             std::to_string(model.layers().size()));

    Optimizer<S> optimizer(options.optimizer, model.layers());
    if (!options.trainable.empty()) optimizer.set_trainable(options.trainable);
    const Index batch = std::min(options.batch_size, train.samples);
    const Index chunk = std::min(options.chunk, batch);
    const Index chunks_per_batch = (batch + chunk - 1) / chunk;
    std::vector<Parameters<S>> chunk_grads(chunks_per_batch, zeros_like<S>(model.layers()));
    Parameters<S> grads = zeros_like<S>(model.layers());
    std::vector<ChunkResult> chunk_results(chunks_per_batch);
    tbb::enumerable_thread_specific<std::unique_ptr<Unroller<S>>> unrollers;
    std::vector<Index> order(train.samples);
    std::iota(order.begin(), order.end(), Index{0});
    std::vector<char> active;
    std::vector<EpochRecord> history;
    tbb::task_arena arena(arena_threads(options.threads));
    const Index batches = (train.samples + batch - 1) / batch;

    for (Index epoch = 0; epoch < options.epochs; ++epoch) {
        const auto start = std::chrono::steady_clock::now();
        if (options.cosine_schedule)
            optimizer.set_learning_rate(options.optimizer.lr * 0.5 *
                                        (1.0 + std::cos(M_PI * static_cast<double>(epoch) / static_cast<double>(options.epochs))));
        if (options.shuffle) {
            RandomStream stream(options.seed, 0, RandomPurpose::training, static_cast<std::uint32_t>(epoch));
            for (Index i = train.samples - 1; i > 0; --i)
                std::swap(order[i], order[static_cast<Index>(stream.below(static_cast<std::uint64_t>(i + 1)))]);
        }
        double loss_sum = 0.0;
        Index correct = 0;
        for (Index b = 0; b < batches; ++b) {
            const Index first = b * batch, count = std::min(batch, train.samples - first);
            const auto parts = chunks_of(count, chunk);
            if (options.algorithm == Algorithm::sltt_k) {
                // K distinct steps, drawn per minibatch (a partial Fisher-Yates shuffle).
                std::vector<Index> steps(train.steps);
                std::iota(steps.begin(), steps.end(), Index{0});
                RandomStream stream(options.seed, 1, RandomPurpose::training, static_cast<std::uint32_t>(epoch),
                                    static_cast<std::uint64_t>(b) << 20);
                active.assign(train.steps, 0);
                for (Index k = 0; k < options.sltt_k; ++k) {
                    const Index pick = k + static_cast<Index>(stream.below(static_cast<std::uint64_t>(train.steps - k)));
                    std::swap(steps[k], steps[pick]);
                    active[steps[k]] = 1;
                }
            }
            const S scale = S(1) / static_cast<S>(count);
            arena.execute([&] {
                tbb::parallel_for(Index{0}, static_cast<Index>(parts.size()), [&](Index c) {
                    auto& unroller = unrollers.local();
                    if (!unroller)
                        unroller = std::make_unique<Unroller<S>>(model, options.loss, train.steps, chunk, options.algorithm);
                    set_zero(chunk_grads[c]);
                    chunk_results[c] = unroller->gradient(train, order.data() + first + parts[c].first, parts[c].second - parts[c].first,
                                                          scale, options.algorithm == Algorithm::sltt_k ? &active : nullptr,
                                                          chunk_grads[c]);
                });
            });
            set_zero(grads);
            for (std::size_t c = 0; c < parts.size(); ++c) {
                add_into(grads, chunk_grads[c]);
                loss_sum += chunk_results[c].loss;
                correct += chunk_results[c].correct;
            }
            if (project) {
                // The optimiser's step, not only the gradient, must stay out of the subspace:
                // Adam rescales each weight's step and would lead it back in.
                project(grads);
                const Parameters<S> before = model.parameters();
                optimizer.step(model.parameters(), grads);
                Parameters<S> step = model.parameters();
                add_into(step, before, S(-1));
                project(step);
                model.parameters() = before;
                add_into(model.parameters(), step);
            } else {
                optimizer.step(model.parameters(), grads);
            }
            if (options.on_batch) options.on_batch(b + 1, batches);
        }
        EpochRecord record;
        record.epoch = epoch;
        record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        record.loss = loss_sum / static_cast<double>(train.samples);
        record.accuracy = static_cast<double>(correct) / static_cast<double>(train.samples);
        for (auto& unroller : unrollers)
            if (unroller) record.state_bytes = std::max(record.state_bytes, unroller->state_bytes());
        model.check_finite("after epoch " + std::to_string(epoch) + " (training diverged: lower the learning rate)");
        record.validation_loss = record.validation_accuracy = std::numeric_limits<double>::quiet_NaN();
        if (validation) {
            const Evaluation result = evaluate(model, *validation, options.loss, options.threads);
            record.validation_loss = result.loss;
            record.validation_accuracy = result.accuracy;
        }
        history.push_back(record);
        if (options.on_epoch && !options.on_epoch(record)) break;
    }
    return history;
}

template <class S>
Evaluation evaluate(const Model<S>& model, const DataView& data, const LossSpec& loss, int threads, Index chunk) {
    data.validate(model.inputs(), model.outputs(), "data");
    loss.validate(model.layers().back().neuron.spiking());
    Evaluation result;
    const Index classes = model.outputs();
    result.predictions.assign(data.samples, 0);
    result.outputs.assign(static_cast<std::size_t>(classes * data.samples), 0.0);
    std::vector<Index> ids(data.samples);
    std::iota(ids.begin(), ids.end(), Index{0});
    const auto parts = chunks_of(data.samples, chunk);
    std::vector<ChunkResult> results(parts.size());
    tbb::enumerable_thread_specific<std::unique_ptr<Unroller<S>>> unrollers;
    tbb::task_arena arena(arena_threads(threads));
    arena.execute([&] {
        tbb::parallel_for(Index{0}, static_cast<Index>(parts.size()), [&](Index c) {
            auto& unroller = unrollers.local();
            if (!unroller) unroller = std::make_unique<Unroller<S>>(model, loss, data.steps, chunk, Algorithm::sltt);
            const Index first = parts[c].first, count = parts[c].second - first;
            Matrix<S> outputs(classes, count);
            results[c] = unroller->evaluate(data, ids.data() + first, count, outputs.data(), result.predictions.data() + first);
            Eigen::Map<Eigen::MatrixXd>(result.outputs.data() + first * classes, classes, count) = outputs.template cast<double>();
        });
    });
    double loss_sum = 0.0;
    Index correct = 0;
    for (const ChunkResult& r : results) {
        loss_sum += r.loss;
        correct += r.correct;
    }
    result.loss = loss_sum / static_cast<double>(data.samples);
    result.accuracy = static_cast<double>(correct) / static_cast<double>(data.samples);
    return result;
}

template <class S>
double loss_and_gradient(const Model<S>& model, const DataView& data, const LossSpec& loss, Algorithm algorithm, Parameters<S>& grads) {
    data.validate(model.inputs(), model.outputs(), "data");
    std::vector<Index> ids(data.samples);
    std::iota(ids.begin(), ids.end(), Index{0});
    grads = zeros_like<S>(model.layers());
    Unroller<S> unroller(model, loss, data.steps, data.samples, algorithm);
    const ChunkResult result = unroller.gradient(data, ids.data(), data.samples, S(1) / static_cast<S>(data.samples), nullptr, grads);
    return result.loss / static_cast<double>(data.samples);
}

template std::vector<EpochRecord> fit<float>(Model<float>&, const DataView&, const DataView*, const TrainOptions&,
                                             const std::function<void(Parameters<float>&)>&);
template std::vector<EpochRecord> fit<double>(Model<double>&, const DataView&, const DataView*, const TrainOptions&,
                                              const std::function<void(Parameters<double>&)>&);
template Evaluation evaluate<float>(const Model<float>&, const DataView&, const LossSpec&, int, Index);
template Evaluation evaluate<double>(const Model<double>&, const DataView&, const LossSpec&, int, Index);
template double loss_and_gradient<float>(const Model<float>&, const DataView&, const LossSpec&, Algorithm, Parameters<float>&);
template double loss_and_gradient<double>(const Model<double>&, const DataView&, const LossSpec&, Algorithm, Parameters<double>&);

} // namespace spikegraph::training
