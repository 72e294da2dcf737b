#include "backends/experiment/toml_reader.hpp"

#include <algorithm>
#include <cmath>

#include "core/io/expression.hpp"

namespace spikegraph::toml_reader {

namespace {

std::string type_name(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "a list";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date or time";
    }
}

bool within_bound(double value, Bound bound) {
    switch (bound) {
    case Bound::any: return !std::isnan(value);
    case Bound::finite: return std::isfinite(value);
    case Bound::positive: return std::isfinite(value) && value > 0.0;
    case Bound::non_negative: return std::isfinite(value) && value >= 0.0;
    }
    return false;
}

std::string bound_text(Bound bound) {
    switch (bound) {
    case Bound::any: return "a number";
    case Bound::finite: return "finite";
    case Bound::positive: return "> 0";
    case Bound::non_negative: return ">= 0";
    }
    return "";
}

} // namespace

toml::table parse_document(const std::string& text, const std::string& source) {
    try {
        return toml::parse(text, source);
    } catch (const toml::parse_error& error) {
        const auto& begin = error.source().begin;
        throw Error(ErrorCode::invalid_parameter, source + ":" + std::to_string(begin.line) + ":" +
                                                      std::to_string(begin.column) + ": malformed TOML: " +
                                                      std::string(error.description()));
    }
}

std::string Reader::where(const toml::source_region& region) const {
    if (region.begin.line == 0) return source_; // a value set by a sweep point: no line of its own
    return source_ + ":" + std::to_string(region.begin.line) + ":" + std::to_string(region.begin.column);
}

void Reader::fail(const toml::node& node, std::string_view object, std::string_view key, const std::string& what) const {
    throw Error(ErrorCode::invalid_parameter,
                where(node.source()) + ": " + std::string(object) + ": key '" + std::string(key) + "': " + what);
}

void Reader::fail_key(const toml::key& key, std::string_view object, std::string_view name, const std::string& what) const {
    throw Error(ErrorCode::invalid_parameter,
                where(key.source()) + ": " + std::string(object) + ": key '" + std::string(name) + "': " + what);
}

void Reader::rethrow(const toml::table& table, const Error& error) const {
    throw Error(error.code(), where(table.source()) + ": " + error.what());
}

const toml::node& Reader::require(const toml::table& table, const toml::node& owner, std::string_view object,
                                  std::string_view key) const {
    if (const toml::node* node = table.get(key)) return *node;
    throw Error(ErrorCode::invalid_parameter,
                where(owner.source()) + ": " + std::string(object) + ": key '" + std::string(key) + "' is missing");
}

const toml::table& Reader::table(const toml::node& node, std::string_view object, std::string_view key) const {
    if (const toml::table* t = node.as_table()) return *t;
    fail(node, object, key, "must be a table, not " + type_name(node));
}

std::vector<const toml::table*> Reader::table_array(const toml::table& doc, std::string_view key) const {
    std::vector<const toml::table*> tables;
    const toml::node* node = doc.get(key);
    if (!node) return tables;
    const toml::array* list = node->as_array();
    if (!list) fail(*node, "file", key, "must be written [[" + std::string(key) + "]] (a list of tables), not " + type_name(*node));
    for (const toml::node& item : *list) {
        if (!item.as_table()) fail(item, "file", key, "every [[" + std::string(key) + "]] entry must be a table");
        tables.push_back(item.as_table());
    }
    return tables;
}

void Reader::only_keys(const toml::table& table, std::string_view object, const std::set<std::string, std::less<>>& allowed) const {
    for (const auto& [key, node] : table) {
        if (allowed.count(key.str())) continue;
        std::string known;
        for (const auto& name : allowed) known += (known.empty() ? "" : ", ") + name;
        fail_key(key, object, key.str(), "unknown key (allowed: " + known + ")");
    }
}

std::string Reader::string(const toml::node& node, std::string_view object, std::string_view key) const {
    if (const auto value = node.value_exact<std::string>()) return *value;
    fail(node, object, key, "must be a string, not " + type_name(node));
}

std::string Reader::name(const toml::node& node, std::string_view object, std::string_view key) const {
    std::string text = string(node, object, key);
    const bool valid = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
    if (!valid) fail(node, object, key, "'" + text + "' is not a name (letters, digits, '_' and '-')");
    return text;
}

std::string Reader::choice(const toml::node& node, std::string_view object, std::string_view key,
                           const std::vector<std::string>& choices) const {
    std::string text = string(node, object, key);
    if (std::find(choices.begin(), choices.end(), text) != choices.end()) return text;
    std::string known;
    for (const auto& c : choices) known += (known.empty() ? "" : ", ") + c;
    fail(node, object, key, "'" + text + "' is not one of " + known);
}

bool Reader::boolean(const toml::node& node, std::string_view object, std::string_view key) const {
    if (const auto value = node.value_exact<bool>()) return *value;
    fail(node, object, key, "must be true or false, not " + type_name(node));
}

double Reader::number(const toml::node& node, std::string_view object, std::string_view key) const {
    double value = 0.0;
    if (const auto i = node.value_exact<std::int64_t>()) {
        value = static_cast<double>(*i);
    } else if (const auto f = node.value_exact<double>()) {
        value = *f;
    } else if (const auto text = node.value_exact<std::string>()) {
        try {
            value = evaluate_expression(*text, [&](std::string_view name) -> std::optional<double> {
                const toml::table* parameters = doc_ ? (*doc_)["parameters"].as_table() : nullptr;
                if (!parameters || !parameters->get(name)) return std::nullopt;
                return parameter(name, node);
            });
        } catch (const Error& error) {
            fail(node, object, key, error.what());
        }
    } else {
        fail(node, object, key, "must be a number or an expression string, not " + type_name(node));
    }
    if (std::isnan(value)) fail(node, object, key, "is NaN");
    return value;
}

double Reader::parameter(std::string_view name, const toml::node& user) const {
    if (std::find(evaluating_.begin(), evaluating_.end(), name) != evaluating_.end()) {
        std::string chain;
        for (const auto& n : evaluating_) chain += n + " -> ";
        fail(user, "[parameters]", name, "is defined in terms of itself (" + chain + std::string(name) + ")");
    }
    evaluating_.emplace_back(name);
    const toml::node& node = *(*doc_)["parameters"].as_table()->get(name);
    const double value = number(node, "[parameters]", name);
    evaluating_.pop_back();
    return value;
}

double Reader::positive(const toml::node& node, std::string_view object, std::string_view key) const {
    const double value = number(node, object, key);
    if (!(value > 0.0) || !std::isfinite(value)) fail(node, object, key, format_number(value) + " is invalid: it must be > 0");
    return value;
}

std::int64_t Reader::integer(const toml::node& node, std::string_view object, std::string_view key, std::int64_t min,
                             std::int64_t max) const {
    const double value = number(node, object, key);
    if (value != std::floor(value) || !std::isfinite(value))
        fail(node, object, key, format_number(value) + " is not a whole number");
    if (value < static_cast<double>(min) || value > static_cast<double>(max))
        fail(node, object, key, format_number(value) + " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return static_cast<std::int64_t>(value);
}

std::vector<double> Reader::numbers(const toml::node& node, std::string_view object, std::string_view key) const {
    const toml::array* list = node.as_array();
    if (!list) fail(node, object, key, "must be a list of numbers, not " + type_name(node));
    std::vector<double> values;
    values.reserve(list->size());
    for (const toml::node& item : *list) values.push_back(number(item, object, key));
    return values;
}

Index Reader::index(double value, const toml::table& table, std::string_view object, std::string_view key) const {
    if (value < 0.0 || value != std::floor(value) || value > 4294967295.0)
        fail(*table.get(key), object, key, format_number(value) + " is not a neuron index");
    return static_cast<Index>(value);
}

std::vector<Index> Reader::neurons(const toml::node& node, std::string_view object, std::string_view key) const {
    std::vector<Index> result;
    if (node.is_array()) {
        for (const toml::node& item : *node.as_array())
            result.push_back(static_cast<Index>(integer(item, object, key, 0, 0xffffffffLL)));
        return result;
    }
    const auto count = integer(node, object, key, 1, 0xffffffffLL);
    for (std::int64_t i = 0; i < count; ++i) result.push_back(static_cast<Index>(i));
    return result;
}

ValueSpec Reader::value_spec(const toml::node& node, std::string_view object, std::string_view key) const {
    if (node.is_array()) return numbers(node, object, key);
    const toml::table* t = node.as_table();
    if (!t) return number(node, object, key);
    if (t->size() != 1)
        fail(node, object, key, "a distribution is written as one of { uniform = [low, high] }, { normal = [mean, sd] }, "
                                "{ normal_clipped = [mean, sd, low, high] }, { lognormal = [mu, sigma] }");
    const auto first = t->begin(); // toml++ iterators yield proxies: keep the iterator alive
    const toml::key& name = first->first;
    const toml::node& args_node = first->second;
    const std::vector<double> args = numbers(args_node, object, key);
    auto expect = [&](std::size_t count) {
        if (args.size() != count)
            fail(args_node, object, key, std::string(name.str()) + " takes " + std::to_string(count) + " numbers, not " +
                                             std::to_string(args.size()));
    };
    Distribution d;
    if (name == "uniform") {
        expect(2);
        d = Distribution::uniform(args[0], args[1]);
    } else if (name == "normal") {
        expect(2);
        d = Distribution::normal(args[0], args[1]);
    } else if (name == "normal_clipped") {
        expect(4);
        d = Distribution::normal_clipped(args[0], args[1], args[2], args[3]);
    } else if (name == "lognormal") {
        expect(2);
        d = Distribution::lognormal(args[0], args[1]);
    } else {
        fail_key(name, object, key, "unknown distribution '" + std::string(name.str()) + "' (uniform, normal, normal_clipped, lognormal)");
    }
    try {
        d.validate(object, key);
    } catch (const Error& error) {
        fail(node, object, key, error.what());
    }
    return d;
}

ParamValue Reader::param_value(const ValueSpec& spec) const {
    if (const auto* number = std::get_if<double>(&spec)) return *number;
    if (const auto* list = std::get_if<std::vector<double>>(&spec)) return *list;
    return std::get<Distribution>(spec);
}

ParamValue Reader::param(const toml::node& node, const FieldInfo& field, std::string_view object) const {
    auto check = [&](double value) {
        if (!within_bound(value, field.bound))
            fail(node, object, field.name, format_number(value) + " " + std::string(field.unit) +
                                               (field.unit.empty() ? "" : " ") + "is invalid: it must be " + bound_text(field.bound));
        return value;
    };
    switch (field.kind) {
    case FieldKind::scalar: return check(number(node, object, field.name));
    case FieldKind::per_neuron: {
        ValueSpec spec = value_spec(node, object, field.name);
        if (const auto* value = std::get_if<double>(&spec)) check(*value);
        if (const auto* list = std::get_if<std::vector<double>>(&spec)) for (double v : *list) check(v);
        return param_value(spec);
    }
    case FieldKind::choice: {
        std::vector<std::string> choices(field.choices.begin(), field.choices.end());
        return choice(node, object, field.name, choices);
    }
    case FieldKind::array: {
        std::vector<double> values = numbers(node, object, field.name);
        for (double v : values) check(v);
        return values;
    }
    case FieldKind::ragged: {
        const toml::array* lists = node.as_array();
        if (!lists) fail(node, object, field.name, "must be a list with one list of numbers per neuron");
        RaggedArray values;
        for (const toml::node& item : *lists) {
            values.push_back(numbers(item, object, field.name));
            for (double v : values.back()) check(v);
        }
        return values;
    }
    }
    fail(node, object, field.name, "has a kind this reader does not know");
}

} // namespace spikegraph::toml_reader
