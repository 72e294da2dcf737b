// Hebbian rules against linear algebra: the subspace rule finds the top-k principal subspace
// (principal angles against Eigen's SVD of the data), and Oja's rule, through the plug-in's own
// step function, finds the leading eigenvector with unit norm.
#include <cmath>
#include <random>

#include <Eigen/Dense>

#include "plasticity/hebbian.hpp"
#include "support.hpp"

using namespace spikegraph;
using Matrix = Eigen::MatrixXd;

namespace {

// Samples x = A z with z standard normal: covariance A A^T, with A's column scales decaying so
// the top k directions stand apart (scales 3, 2.5, 2, then 1 ... 0.3).
Matrix synthetic_data(int n, int samples, std::mt19937_64& generator) {
    std::normal_distribution<double> normal;
    Matrix basis = Matrix::NullaryExpr(n, n, [&] { return normal(generator); });
    const Eigen::HouseholderQR<Matrix> qr(basis);
    const Matrix q = qr.householderQ() * Matrix::Identity(n, n);
    Eigen::VectorXd scales(n);
    for (int i = 0; i < n; ++i) scales[i] = i < 3 ? 3.0 - 0.5 * i : 1.0 - 0.7 * (i - 3) / (n - 4);
    const Matrix z = Matrix::NullaryExpr(n, samples, [&] { return normal(generator); });
    return q * scales.asDiagonal() * z;
}

// The largest principal angle between the row space of h and the span of the columns of u.
double largest_angle(const Matrix& h, const Matrix& u) {
    const Eigen::HouseholderQR<Matrix> qr(h.transpose());
    const Matrix q = qr.householderQ() * Matrix::Identity(h.cols(), h.rows());
    const Eigen::JacobiSVD<Matrix> svd(q.transpose() * u);
    return std::acos(std::min(1.0, svd.singularValues().minCoeff()));
}

} // namespace

TEST_SUITE("plasticity") {
TEST_CASE("subspace rule: converges to the top-k principal subspace (largest principal angle < 0.05 rad)") {
    std::mt19937_64 generator(5);
    const int n = 20, k = 3, batch = 32;
    const Matrix data = synthetic_data(n, 20000, generator);
    const Eigen::JacobiSVD<Matrix> svd(data, Eigen::ComputeThinU);
    const Matrix top = svd.matrixU().leftCols(k);

    std::normal_distribution<double> normal;
    Matrix h = Matrix::NullaryExpr(k, n, [&] { return 0.1 * normal(generator); });
    const double before = largest_angle(h, top);
    std::uniform_int_distribution<int> pick(0, static_cast<int>(data.cols()) - batch);
    // Stochastic approximation: a learning rate that shrinks over time removes the sampling noise.
    auto rate = [](int iteration) { return 0.02 / (1.0 + iteration / 500.0); };
    for (int iteration = 0; iteration < 6000; ++iteration) {
        const Matrix inputs = data.middleCols(pick(generator), batch);
        subspace_update(h, inputs, rate(iteration));
    }
    const double after = largest_angle(h, top);
    MESSAGE("largest principal angle: ", before, " rad at the start, ", after, " rad after learning");
    CHECK(before > 0.3);
    CHECK(after < 0.05);
    // The rows become orthonormal: H H^T = I.
    CHECK((h * h.transpose() - Matrix::Identity(k, k)).norm() < 0.05);

    // In single precision too (the rule is generic over the number type).
    Eigen::MatrixXf hf = Eigen::MatrixXf::Random(k, n) * 0.1f;
    const Eigen::MatrixXf dataf = data.cast<float>();
    for (int iteration = 0; iteration < 6000; ++iteration) {
        const Eigen::MatrixXf inputs = dataf.middleCols(pick(generator), batch);
        subspace_update(hf, inputs, static_cast<float>(rate(iteration)));
    }
    CHECK(largest_angle(hf.cast<double>(), top) < 0.05);
}

TEST_CASE("oja: the plug-in's step finds the unit-norm leading eigenvector") {
    std::mt19937_64 generator(9);
    const int n = 8;
    const Matrix data = synthetic_data(n, 40000, generator).array().abs().matrix(); // rates are >= 0
    const Matrix correlation = data * data.transpose() / static_cast<double>(data.cols());
    const Eigen::SelfAdjointEigenSolver<Matrix> eigen(correlation);
    const Eigen::VectorXd leading = eigen.eigenvectors().col(n - 1);

    // Rates in Hz are traces times 1000 / tau_rate: feed traces that make the rates the samples.
    OjaParams params;
    params.tau_rate = 1000.0; // rate = trace
    params.eta = 4e-3 / (0.1 * 1e-3); // eta dt = 4e-3, halved each pass
    params.w_min = -10.0;
    params.w_max = 10.0;
    Eigen::VectorXd w = Eigen::VectorXd::Constant(n, 0.1);
    for (int pass = 0; pass < 4; ++pass) {
        params.eta /= 2; // a shrinking learning rate removes the sampling noise
        const auto coeffs = Oja::Coeffs<double>::make(params, 0.1);
        for (int s = 0; s < data.cols(); ++s) {
            const double y = w.dot(data.col(s));
            const Eigen::VectorXd old = w;
            for (int i = 0; i < n; ++i) w[i] = Oja::step(coeffs, old[i], &data(i, s), &y);
        }
    }
    CHECK(w.norm() == doctest::Approx(1.0).epsilon(0.03));
    CHECK(std::abs(w.normalized().dot(leading)) > 0.999);
}
}
