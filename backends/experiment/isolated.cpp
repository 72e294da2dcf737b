#include "backends/experiment/isolated.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.hpp"

namespace spikegraph {

int run_isolated(const std::function<int()>& work, const std::string& path, double seconds) {
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t parent = getpid();
    const pid_t child = fork();
    if (child < 0) return work(); // no process to spare: read in this one
    if (child == 0) {
        // Die with the parent: a reader killed for looping must not leave its own children
        // (nested isolation) looping on, holding the output pipes open.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(4);
        // A fault ends the child plainly: handlers inherited from the host (Python's
        // faulthandler, sanitizers) would print the parent's stack as if it had crashed.
        for (int fault : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(fault, SIG_DFL);
        int status = 4; // `work` reports its own errors; an escaping one ends the child with 4
        try {
            status = work();
        } catch (...) {
        }
        std::fflush(stdout);
        std::fflush(stderr);
        _exit(status);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    int status = 0;
    for (auto pause = std::chrono::milliseconds(1);; pause = std::min(pause * 2, std::chrono::milliseconds(100))) {
        const pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child) break;
        if (done < 0) throw Error(ErrorCode::internal, "lost the process reading '" + path + "'");
        if (std::chrono::steady_clock::now() > deadline) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            throw Error(ErrorCode::io, "'" + path + "' is damaged: reading it did not finish within " +
                                           std::to_string(static_cast<int>(seconds)) + " s (the HDF5 library loops on it)");
        }
        std::this_thread::sleep_for(pause);
    }
    // A reader of our output that stopped early (`inspect ... | head`) is not a damaged file.
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE) return 0;
    if (WIFSIGNALED(status))
        throw Error(ErrorCode::io, "'" + path + "' is damaged: the HDF5 library failed reading it (" +
                                       std::string(strsignal(WTERMSIG(status))) + ")");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
}

} // namespace spikegraph
