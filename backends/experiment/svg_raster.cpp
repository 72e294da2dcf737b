#include "backends/experiment/svg_raster.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <unordered_map>

#include "core/error.hpp"

namespace spikegraph {

namespace {
std::string escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else out += c;
    }
    return out;
}
} // namespace

void write_svg_raster(const std::string& path, const std::string& title, const std::vector<SpikeData>& populations,
                      double duration, std::size_t max_spikes) {
    constexpr double width = 900, height = 520, left = 70, right = 20, top = 40, bottom = 50;
    const double plot_w = width - left - right, plot_h = height - top - bottom;
    std::size_t rows = 0, spikes = 0;
    for (const auto& p : populations) {
        rows += p.neurons.size();
        spikes += p.times.size();
    }
    if (duration <= 0.0)
        for (const auto& p : populations) for (double t : p.times) duration = std::max(duration, t);
    if (duration <= 0.0) duration = 1.0;
    const std::size_t stride = std::max<std::size_t>(1, (spikes + max_spikes - 1) / std::max<std::size_t>(1, max_spikes));
    std::ofstream out(path);
    if (!out) throw Error(ErrorCode::io, "cannot write '" + path + "'");
    char buffer[256];
    std::snprintf(buffer, sizeof buffer,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" viewBox=\"0 0 %g %g\" "
                  "font-family=\"sans-serif\" font-size=\"13\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
                  width, height, width, height);
    out << buffer << "<text x=\"" << left << "\" y=\"24\" font-size=\"15\">" << escape(title) << "</text>\n";
    const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    std::size_t row0 = 0, p_index = 0;
    for (const auto& p : populations) {
        const char* colour = colours[p_index++ % 6];
        std::unordered_map<std::uint32_t, std::size_t> row;
        for (std::size_t k = 0; k < p.neurons.size(); ++k) row[p.neurons[k]] = row0 + k;
        out << "<g fill=\"" << colour << "\">\n";
        for (std::size_t s = 0; s < p.times.size(); s += stride) {
            const auto found = row.find(p.senders[s]);
            if (found == row.end()) continue;
            const double x = left + plot_w * p.times[s] / duration;
            const double y = top + plot_h * (1.0 - (static_cast<double>(found->second) + 0.5) / static_cast<double>(std::max<std::size_t>(rows, 1)));
            std::snprintf(buffer, sizeof buffer, "<rect x=\"%.1f\" y=\"%.1f\" width=\"1.2\" height=\"1.2\"/>\n", x, y);
            out << buffer;
        }
        out << "</g>\n";
        const double label_y = top + plot_h * (1.0 - (static_cast<double>(row0) + static_cast<double>(p.neurons.size()) / 2.0) / static_cast<double>(std::max<std::size_t>(rows, 1)));
        std::snprintf(buffer, sizeof buffer, "<text x=\"%g\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">", left - 8, label_y, colour);
        out << buffer << escape(p.population) << "</text>\n";
        row0 += p.neurons.size();
    }
    std::snprintf(buffer, sizeof buffer,
                  "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" stroke=\"black\"/>\n"
                  "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">time [ms]</text>\n"
                  "<text x=\"%g\" y=\"%g\">0</text><text x=\"%g\" y=\"%g\" text-anchor=\"end\">%g</text>\n",
                  left, top, plot_w, plot_h, left + plot_w / 2, height - 12, left, top + plot_h + 18, left + plot_w,
                  top + plot_h + 18, duration);
    out << buffer;
    if (stride > 1) out << "<text x=\"" << width - right << "\" y=\"24\" text-anchor=\"end\">every " << stride << "th spike</text>\n";
    out << "</svg>\n";
    if (!out) throw Error(ErrorCode::io, "cannot write '" + path + "' (disk full?)");
}

} // namespace spikegraph
