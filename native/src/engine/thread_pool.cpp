#include "engine/thread_pool.h"

namespace evk {

ThreadPool::ThreadPool(int threads) {
    int extra = threads > 1 ? threads - 1 : 0;
    workers_.reserve(extra);
    try {
        for (int i = 0; i < extra; i++) workers_.emplace_back([this, i] { worker_loop(i + 1); });
    } catch (...) {
        {
            std::lock_guard<std::mutex> lock(mu_);
            stop_ = true;
        }
        start_cv_.notify_all();
        for (auto &t : workers_) t.join();
        throw;
    }
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stop_ = true;
    }
    start_cv_.notify_all();
    for (auto &t : workers_) t.join();
}

void ThreadPool::work(int id) {
    while (!failed_.load(std::memory_order_relaxed)) {
        size_t i = next_.fetch_add(1);
        if (i >= count_) break;
        try {
            (*fn_)(id, i);
        } catch (...) {
            std::lock_guard<std::mutex> lock(mu_);
            if (!error_) error_ = std::current_exception();
            failed_.store(true);
        }
    }
}

void ThreadPool::worker_loop(int id) {
    uint64_t seen = 0;
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mu_);
            start_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
        }
        work(id);
        {
            std::lock_guard<std::mutex> lock(mu_);
            if (--active_ == 0) done_cv_.notify_all();
        }
    }
}

void ThreadPool::run(size_t count, const std::function<void(int, size_t)> &fn) {
    if (count == 0) return;
    if (workers_.empty() || count == 1) {
        for (size_t i = 0; i < count; i++) fn(0, i);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mu_);
        fn_ = &fn;
        count_ = count;
        next_.store(0);
        failed_.store(false);
        error_ = nullptr;
        active_ = static_cast<int>(workers_.size());
        generation_++;
    }
    start_cv_.notify_all();
    work(0);
    std::exception_ptr err;
    {
        std::unique_lock<std::mutex> lock(mu_);
        done_cv_.wait(lock, [&] { return active_ == 0; });
        fn_ = nullptr;
        err = error_;
        error_ = nullptr;
    }
    if (err) std::rethrow_exception(err);
}

}  // namespace evk
