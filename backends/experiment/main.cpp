// The `spikegraph` executable.
#include <string>
#include <vector>

#include "backends/experiment/cli.hpp"

int main(int argc, char** argv) {
    return spikegraph::cli_main(std::vector<std::string>(argv + 1, argv + argc));
}
