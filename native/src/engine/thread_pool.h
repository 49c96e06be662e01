// A fixed pool of std::threads for batches: run(count, fn) calls fn(worker, index) for every index,
// the caller taking part as worker 0. Which worker computes an index never changes the output.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace evk {

class ThreadPool {
public:
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    /** Number of participants (workers + the calling thread). */
    int size() const { return static_cast<int>(workers_.size()) + 1; }

    /** Runs fn(worker, i) for i in [0, count); rethrows the first exception after all stop. */
    void run(size_t count, const std::function<void(int, size_t)> &fn);

private:
    void worker_loop(int id);
    void work(int id);

    std::vector<std::thread> workers_;
    std::mutex mu_;
    std::condition_variable start_cv_;
    std::condition_variable done_cv_;
    uint64_t generation_ = 0;
    bool stop_ = false;
    int active_ = 0;
    const std::function<void(int, size_t)> *fn_ = nullptr;
    size_t count_ = 0;
    std::atomic<size_t> next_{0};
    std::atomic<bool> failed_{false};
    std::exception_ptr error_;
};

}  // namespace evk
