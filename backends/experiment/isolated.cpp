#include "backends/experiment/isolated.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.hpp"

// Set by sanitizer runtimes (a fuzzer registers its crash reporter there); absent otherwise.
extern "C" __attribute__((weak)) void __sanitizer_set_death_callback(void (*callback)(void));

namespace spikegraph {

Error damaged_file_error(const std::string& path, const std::string& why) {
    return Error(ErrorCode::io, "'" + path + "' is damaged: the HDF5 library failed reading it (" + why + ")");
}

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
        if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(nullptr);
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
        throw damaged_file_error(path, strsignal(WTERMSIG(status)));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
}

std::string run_isolated_bytes(const std::function<std::string()>& work, const std::string& path, double seconds) {
    const int fd = memfd_create("spikegraph-isolated", MFD_CLOEXEC);
    if (fd < 0) return work(); // no in-memory file to spare: work in this process
    // The child writes 'O' and the bytes, or 'E', the error code and the message.
    auto write_all = [fd](const std::string& bytes) {
        for (std::size_t done = 0; done < bytes.size();) {
            const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
            if (n <= 0) return false;
            done += static_cast<std::size_t>(n);
        }
        return true;
    };
    int status = 0;
    try {
        status = run_isolated(
            [&] {
                try {
                    return write_all("O" + work()) ? 0 : 5;
                } catch (const Error& error) {
                    return write_all("E" + std::string(1, static_cast<char>(error.code())) + error.what()) ? 0 : 5;
                }
            },
            path, seconds);
    } catch (...) {
        close(fd);
        throw;
    }
    std::string bytes;
    if (status == 0 && lseek(fd, 0, SEEK_SET) == 0) {
        char buffer[1 << 16];
        for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) bytes.append(buffer, static_cast<std::size_t>(n));
    }
    close(fd);
    if (status != 0 || bytes.empty())
        throw damaged_file_error(path, "exit status " + std::to_string(status));
    if (bytes[0] == 'E' && bytes.size() >= 2)
        throw Error(static_cast<ErrorCode>(static_cast<unsigned char>(bytes[1])), bytes.substr(2));
    return bytes.substr(1);
}

} // namespace spikegraph
