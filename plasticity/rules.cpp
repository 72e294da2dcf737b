#include "plasticity/rules.hpp"

#include "core/error.hpp"

namespace spikegraph {

namespace {
template <class... Rules>
std::vector<const ModelInfo*> collect(TypeList<Rules...>) {
    return {&Rules::info()...};
}
} // namespace

std::vector<const ModelInfo*> all_rules() { return collect(PlasticityRules{}); }

const ModelInfo& rule_info(std::string_view name) {
    const auto rules = all_rules();
    for (const ModelInfo* rule : rules)
        if (rule->name == name) return *rule;
    std::string known;
    for (const ModelInfo* rule : rules) known += (known.empty() ? "'" : ", '") + std::string(rule->name) + "'";
    throw Error(ErrorCode::invalid_parameter, "unknown plasticity rule '" + std::string(name) + "' (known: " + known + ")");
}

} // namespace spikegraph
