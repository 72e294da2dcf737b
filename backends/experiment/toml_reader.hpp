#pragma once
// Reading typed values out of a TOML document, with errors that name the file, the line, the
// object and the key. Numbers may be written as expressions over [parameters] ("-g * J").
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/connector.hpp"
#include "core/error.hpp"
#include "core/model_info.hpp"

namespace spikegraph::toml_reader {

// Parses TOML text; a syntax error becomes invalid_parameter "file:line:column: what".
toml::table parse_document(const std::string& text, const std::string& source);

class Reader {
public:
    Reader(std::string source, const toml::table* doc) : source_(std::move(source)), doc_(doc) {}
    const std::string& source() const { return source_; }

    [[noreturn]] void fail(const toml::node& node, std::string_view object, std::string_view key, const std::string& what) const;
    [[noreturn]] void fail_key(const toml::key& key, std::string_view object, std::string_view name, const std::string& what) const;
    // An error of the network layer about the object declared by `table`, with the table's line.
    [[noreturn]] void rethrow(const toml::table& table, const Error& error) const;

    const toml::node& require(const toml::table& table, const toml::node& owner, std::string_view object, std::string_view key) const;
    const toml::table& table(const toml::node& node, std::string_view object, std::string_view key) const;
    std::vector<const toml::table*> table_array(const toml::table& doc, std::string_view key) const;
    void only_keys(const toml::table& table, std::string_view object, const std::set<std::string, std::less<>>& allowed) const;

    std::string string(const toml::node& node, std::string_view object, std::string_view key) const;
    std::string name(const toml::node& node, std::string_view object, std::string_view key) const; // [A-Za-z0-9_-]+
    std::string choice(const toml::node& node, std::string_view object, std::string_view key,
                       const std::vector<std::string>& choices) const;
    bool boolean(const toml::node& node, std::string_view object, std::string_view key) const;
    double number(const toml::node& node, std::string_view object, std::string_view key) const; // not NaN
    double positive(const toml::node& node, std::string_view object, std::string_view key) const;
    std::int64_t integer(const toml::node& node, std::string_view object, std::string_view key, std::int64_t min,
                         std::int64_t max = INT64_MAX) const;
    std::vector<double> numbers(const toml::node& node, std::string_view object, std::string_view key) const;
    Index index(double value, const toml::table& table, std::string_view object, std::string_view key) const;
    // A list of neuron indices, or a count n meaning neurons 0 .. n-1.
    std::vector<Index> neurons(const toml::node& node, std::string_view object, std::string_view key) const;

    // A number, a list with one number per element, or { uniform = [low, high] },
    // { normal = [mean, sd] }, { normal_clipped = [mean, sd, low, high] }, { lognormal = [mu, sigma] }.
    ValueSpec value_spec(const toml::node& node, std::string_view object, std::string_view key) const;
    ParamValue param_value(const ValueSpec& spec) const;
    // A model parameter of the field's kind, checked against its bound.
    ParamValue param(const toml::node& node, const FieldInfo& field, std::string_view object) const;

private:
    std::string where(const toml::source_region& region) const;
    double parameter(std::string_view name, const toml::node& user) const;

    std::string source_;
    const toml::table* doc_;
    mutable std::vector<std::string> evaluating_; // [parameters] being evaluated (cycle check)
};

} // namespace spikegraph::toml_reader
