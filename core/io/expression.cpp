#include "core/io/expression.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

#include "core/error.hpp"

namespace spikegraph {

namespace {

// Recursive descent over: sum = product (('+'|'-') product)*; product = power (('*'|'/') power)*;
// power = unary ('^' power)?; unary = '-' unary | '+' unary | atom; atom = number | name | '(' sum ')'.
class Parser {
public:
    Parser(std::string_view text, const NameLookup& lookup) : text_(text), lookup_(lookup) {}

    double parse() {
        const double value = sum();
        skip_space();
        if (at_ < text_.size()) fail("unexpected '" + std::string(1, text_[at_]) + "'");
        return value;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(ErrorCode::invalid_parameter,
                    "expression \"" + std::string(text_) + "\": " + what + " at column " + std::to_string(at_ + 1));
    }
    void skip_space() {
        while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
    }
    bool accept(char c) {
        skip_space();
        if (at_ < text_.size() && text_[at_] == c) {
            ++at_;
            return true;
        }
        return false;
    }
    double sum() {
        double value = product();
        for (;;) {
            if (accept('+')) value += product();
            else if (accept('-')) value -= product();
            else return value;
        }
    }
    double product() {
        double value = power();
        for (;;) {
            if (accept('*')) value *= power();
            else if (accept('/')) value /= power();
            else return value;
        }
    }
    double power() {
        const double base = unary();
        return accept('^') ? std::pow(base, power()) : base;
    }
    double unary() {
        if (++depth_ > 200) fail("nesting too deep");
        double value;
        if (accept('-')) value = -unary();
        else if (accept('+')) value = unary();
        else value = atom();
        --depth_;
        return value;
    }
    double atom() {
        skip_space();
        if (at_ >= text_.size()) fail("a value is missing");
        const char c = text_[at_];
        if (c == '(') {
            ++at_;
            const double value = sum();
            if (!accept(')')) fail("')' expected");
            return value;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
            const std::string rest(text_.substr(at_));
            char* end = nullptr;
            const double value = std::strtod(rest.c_str(), &end);
            if (end == rest.c_str()) fail("malformed number");
            at_ += static_cast<std::size_t>(end - rest.c_str());
            return value;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            const std::size_t start = at_;
            while (at_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[at_])) || text_[at_] == '_')) ++at_;
            const std::string_view name = text_.substr(start, at_ - start);
            const auto value = lookup_ ? lookup_(name) : std::nullopt;
            if (!value) {
                at_ = start;
                fail("unknown name '" + std::string(name) + "' (define it under [parameters])");
            }
            return *value;
        }
        fail("unexpected '" + std::string(1, c) + "'");
    }

    std::string_view text_;
    const NameLookup& lookup_;
    std::size_t at_ = 0;
    int depth_ = 0;
};

} // namespace

double evaluate_expression(std::string_view text, const NameLookup& lookup) { return Parser(text, lookup).parse(); }

} // namespace spikegraph
