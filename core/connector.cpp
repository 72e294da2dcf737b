#include "core/connector.hpp"

#include "core/error.hpp"

namespace spikegraph {

namespace {
std::string flags(bool allow_self, bool allow_multapses) {
    std::string text;
    if (!allow_self) text += ", no self-connections";
    if (allow_multapses) text += ", multapses";
    return text;
}
} // namespace

std::string describe(const Connector& connector) {
    struct Describe {
        std::string operator()(const AllToAll& c) const {
            return std::string("all_to_all") + (c.allow_self_connections ? "" : "(no self-connections)");
        }
        std::string operator()(const OneToOne&) const { return "one_to_one"; }
        std::string operator()(const FixedProbability& c) const {
            return "fixed_probability(p=" + format_number(c.p) + flags(c.allow_self_connections, false) + ")";
        }
        std::string operator()(const FixedInDegree& c) const {
            return "fixed_in_degree(n=" + std::to_string(c.n) +
                   flags(c.allow_self_connections, c.allow_multapses) + ")";
        }
        std::string operator()(const FixedOutDegree& c) const {
            return "fixed_out_degree(n=" + std::to_string(c.n) +
                   flags(c.allow_self_connections, c.allow_multapses) + ")";
        }
        std::string operator()(const FixedTotalNumber& c) const {
            return "fixed_total_number(n=" + std::to_string(c.n) +
                   flags(c.allow_self_connections, c.allow_multapses) + ")";
        }
        std::string operator()(const FromList& c) const {
            return "from_list(" + std::to_string(c.pre.size()) + " pairs)";
        }
        std::string operator()(const FromDenseMatrix& c) const {
            return "from_dense_matrix(" + std::to_string(c.rows) + "x" + std::to_string(c.cols) + ")";
        }
        std::string operator()(const FromSparseMatrix& c) const {
            return "from_sparse_matrix(" + std::to_string(c.rows) + "x" + std::to_string(c.cols) + ", " +
                   std::to_string(c.indices.size()) + " entries)";
        }
    };
    return std::visit(Describe{}, connector);
}

bool carries_weights(const Connector& connector) {
    if (const auto* list = std::get_if<FromList>(&connector)) return !list->weights.empty();
    return std::holds_alternative<FromDenseMatrix>(connector) ||
           std::holds_alternative<FromSparseMatrix>(connector);
}

} // namespace spikegraph
