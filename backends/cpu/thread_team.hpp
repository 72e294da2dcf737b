#pragma once
// A fixed team of threads that runs one job together and meets at barriers. The step loop needs
// one synchronisation per time step at 10,000 steps per simulated second; a task scheduler
// (oneTBB's parallel_for) costs microseconds per call, more than the work of a small network, so
// the step loop keeps its threads for the whole run and synchronises with a spinning barrier.
// oneTBB still builds the synapse tables, where tasks are large.
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace spikegraph::cpu {

class ThreadTeam {
public:
    explicit ThreadTeam(int threads) : size_(threads < 1 ? 1 : threads), arrivals_(static_cast<std::size_t>(size_)) {
        try {
            for (int t = 1; t < size_; ++t) workers_.emplace_back([this, t] { serve(t); });
        } catch (...) { // could not start them all: stop the ones that did
            shut_down();
            throw;
        }
    }
    ThreadTeam(const ThreadTeam&) = delete;
    ThreadTeam& operator=(const ThreadTeam&) = delete;
    ~ThreadTeam() { shut_down(); }

    int size() const { return size_; }

    // Runs job(member) on members 0 .. active - 1 (all by default), the caller being member 0;
    // returns when all are done and rethrows the first exception a member raised. A job that
    // throws on one member must still let the others reach every barrier (the engine's step loop
    // ensures that).
    void run(const std::function<void(int)>& job, int active = 0) {
        active_ = active < 1 || active > size_ ? size_ : active;
        if (active_ == 1) {
            job(0);
            return;
        }
        job_ = &job;
        error_ = nullptr;
        for (Arrivals& a : arrivals_) a.count.store(0, std::memory_order_relaxed); // members are idle: every job counts from zero
        done_.store(0, std::memory_order_relaxed);
        job_generation_.fetch_add(1, std::memory_order_acq_rel);
        job_generation_.notify_all();
        execute(0);
        for (unsigned spin = 0; done_.load(std::memory_order_acquire) != size_;)
            spin < 4096 ? (++spin, pause()) : std::this_thread::yield();
        job_ = nullptr;
        if (error_) std::rethrow_exception(error_);
    }

    // Every active member waits here until all have arrived. Each member counts its barriers in
    // a cache line of its own and waits until every other active member's count has caught up: an
    // arrival is one store that the member does not wait for, and a waiter reads each other line
    // once it changes. A shared counter took three cache-line transfers one after another per
    // barrier (its increment by each member, then the release), ~250 ns between two cores.
    void barrier(int member) {
        if (active_ == 1) return;
        const std::uint64_t count = arrivals_[member].count.load(std::memory_order_relaxed) + 1; // its own line
        arrivals_[member].count.store(count, std::memory_order_release);
        for (int other = 0; other < active_; ++other) {
            if (other == member) continue;
            for (unsigned spin = 0; arrivals_[other].count.load(std::memory_order_acquire) < count;)
                spin < 4096 ? (++spin, pause()) : std::this_thread::yield(); // yield when threads outnumber cores
        }
    }

private:
    void shut_down() {
        quit_.store(true, std::memory_order_release);
        job_generation_.fetch_add(1, std::memory_order_acq_rel);
        job_generation_.notify_all();
        for (auto& worker : workers_)
            if (worker.joinable()) worker.join();
    }

    static void pause() {
#if defined(__SSE2__)
        _mm_pause();
#endif
    }

    void execute(int member) {
        try {
            if (member < active_) (*job_)(member);
        } catch (...) {
            std::lock_guard<std::mutex> lock(error_mutex_);
            if (!error_) error_ = std::current_exception();
        }
        done_.fetch_add(1, std::memory_order_acq_rel);
    }

    void serve(int member) {
        std::uint64_t seen = 0;
        for (;;) {
            job_generation_.wait(seen, std::memory_order_acquire); // sleeps between runs
            seen = job_generation_.load(std::memory_order_acquire);
            if (quit_.load(std::memory_order_acquire)) return;
            execute(member);
        }
    }

    int size_;
    int active_ = 1; // members taking part in the current job
    std::vector<std::thread> workers_;
    const std::function<void(int)>* job_ = nullptr;
    std::atomic<std::uint64_t> job_generation_{0};
    std::atomic<int> done_{0};
    std::atomic<bool> quit_{false};
    struct alignas(64) Arrivals {            // a cache line written by one member only
        std::atomic<std::uint64_t> count{0}; // barriers it reached in this job
    };
    std::vector<Arrivals> arrivals_;
    std::mutex error_mutex_;
    std::exception_ptr error_;
};

} // namespace spikegraph::cpu
