#include "util/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#define TANUKI_THREADS 1
#include <condition_variable>
#include <thread>
#include <vector>
#endif

namespace tanuki {

#ifdef TANUKI_THREADS
namespace {
thread_local bool insideTask = false;

// Runs fn(begin, end) over [0, count) in chunks of `chunk` tasks; `next`
// hands out chunks, `remaining` counts tasks not yet finished.
struct Job {
  const std::function<void(int64_t, int64_t)>* body = nullptr;
  int64_t count = 0, chunk = 1;
  std::atomic<int64_t> next{0}, remaining{0};
  std::mutex errorMutex;
  std::exception_ptr error;

  void work() {
    insideTask = true;
    for (;;) {
      const int64_t begin = next.fetch_add(chunk);
      if (begin >= count) break;
      const int64_t end = std::min(count, begin + chunk);
      try {
        (*body)(begin, end);
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex);
        if (!error) error = std::current_exception();
      }
      remaining.fetch_sub(end - begin);
    }
    insideTask = false;
  }
};

#ifdef __EMSCRIPTEN__
// Helpers run on Web Workers, which the loader has Emscripten start up front
// (as many as it sets threads for); it opts in, so the default is 1.
constexpr int kMaxThreads = TANUKI_WASM_POOL_SIZE + 1;
constexpr int kDefaultThreads = 1;
#else
const int kMaxThreads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 16u));
const int kDefaultThreads = kMaxThreads;
#endif

class Pool {
 public:
  static Pool& instance() {
    static Pool* pool = new Pool;  // never destroyed: helpers outlive static destruction
    return *pool;
  }

  int threads() const { return wanted_; }
  void setThreads(int n) { wanted_ = std::clamp(n, 1, kMaxThreads); }
  int startedHelpers() const { return started_.load(); }

  void start() {
    std::lock_guard<std::mutex> lock(startMutex_);
    while (static_cast<int>(helpers_.size()) < wanted_ - 1) {
      const int index = static_cast<int>(helpers_.size());
      helpers_.emplace_back([this, index] { loop(index); });
      helpers_.back().detach();
    }
  }

  void run(int64_t count, const std::function<void(int64_t, int64_t)>& body) {
    start();
    auto job = std::make_shared<Job>();
    job->body = &body;
    job->count = count;
    job->chunk = std::max<int64_t>(1, count / (4 * wanted_));
    job->remaining = count;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = job;
      activeHelpers_ = wanted_ - 1;
      generation_.fetch_add(1);
    }
    wake_.notify_all();
    job->work();
    // Helpers may still hold chunks: wait for them, spinning (a browser's
    // main thread may not block).
    while (job->remaining.load() > 0) {
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_.reset();
    }
    if (job->error) std::rethrow_exception(job->error);
  }

 private:
  void loop(int index) {
    started_.fetch_add(1);
    uint64_t seen = 0;
    for (;;) {
      // Spin a little before sleeping: kernels come in quick succession.
      for (int i = 0; i < 20000 && generation_.load() == seen; ++i) {
      }
      std::shared_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load() != seen; });
        seen = generation_.load();
        if (index < activeHelpers_) job = job_;
      }
      if (job) job->work();
    }
  }

  int wanted_ = kDefaultThreads;
  std::mutex startMutex_, mutex_;
  std::condition_variable wake_;
  std::vector<std::thread> helpers_;
  std::atomic<int> started_{0};
  std::atomic<uint64_t> generation_{0};
  std::shared_ptr<Job> job_;
  int activeHelpers_ = 0;
};
}  // namespace
#endif

void parallelFor(int64_t count, const std::function<void(int64_t, int64_t)>& body) {
  if (count <= 0) return;
#ifdef TANUKI_THREADS
  Pool& pool = Pool::instance();
  if (count > 1 && pool.threads() > 1 && !insideTask) return pool.run(count, body);
#endif
  body(0, count);
}

#ifdef TANUKI_THREADS
int threadCount() { return Pool::instance().threads(); }
void setThreadCount(int count) { Pool::instance().setThreads(count); }
int maxThreadCount() { return kMaxThreads; }
int startedHelperCount() { return Pool::instance().startedHelpers(); }
void startThreads() { Pool::instance().start(); }
#else
int threadCount() { return 1; }
void setThreadCount(int) {}
int maxThreadCount() { return 1; }
int startedHelperCount() { return 0; }
void startThreads() {}
#endif

}  // namespace tanuki
