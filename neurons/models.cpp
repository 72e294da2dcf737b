#include "neurons/models.hpp"

#include "core/error.hpp"

namespace spikegraph {

namespace {
template <class... Ms>
void collect(TypeList<Ms...>, std::vector<const ModelInfo*>& out) {
    (out.push_back(&Ms::info()), ...);
}
} // namespace

std::vector<const ModelInfo*> all_models() {
    std::vector<const ModelInfo*> models;
    collect(NeuronModels{}, models);
    collect(SourceModels{}, models);
    return models;
}

const ModelInfo& model_info(std::string_view name) {
    const auto models = all_models();
    for (const ModelInfo* model : models)
        if (model->name == name) return *model;
    std::string known;
    for (const ModelInfo* model : models) known += (known.empty() ? "'" : ", '") + std::string(model->name) + "'";
    throw Error(ErrorCode::invalid_parameter, "unknown model '" + std::string(name) + "' (known: " + known + ")");
}

} // namespace spikegraph
