// Work that the two threads of write_epub share: jobs pushed by either thread, run by
// whichever is free, the heavy ones first. A job writes only its own result slot and its
// output depends on its input alone, so the digest's bytes never depend on which thread ran
// what, or when.
#pragma once

#include <pthread.h>
#include <sched.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <system_error>
#include <utility>

namespace warraq::epub {

class WorkQueue {
 public:
  enum class Weight { heavy, light };

  // `producers`: how many parties push jobs; work() returns once all of them have said
  // they are done (Producer) and every job has been taken.
  explicit WorkQueue(int producers) : producers_(producers) {}
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void push(std::function<void()> job, Weight weight) {
    {
      std::lock_guard lock(mutex_);
      (weight == Weight::heavy ? heavy_ : light_).push_back(std::move(job));
    }
    wake_.notify_one();
  }

  // Runs jobs until no producer is left and the queue is empty. A job that throws stops
  // this thread's share (the exception propagates); the other thread takes what is left.
  void work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return !heavy_.empty() || !light_.empty() || producers_ == 0; });
        auto& from = !heavy_.empty() ? heavy_ : light_;
        if (from.empty()) return;
        job = std::move(from.front());
        from.pop_front();
      }
      job();
    }
  }

  // One party's pushing, ended by done() or, on any way out of its scope (an exception
  // too), by the destructor: a thread waiting in work() is never left waiting.
  class Producer {
   public:
    explicit Producer(WorkQueue& queue) : queue_(&queue) {}
    Producer(const Producer&) = delete;
    Producer& operator=(const Producer&) = delete;
    ~Producer() { done(); }
    void done() {
      if (!queue_) return;
      {
        std::lock_guard lock(queue_->mutex_);
        --queue_->producers_;
      }
      queue_->wake_.notify_all();
      queue_ = nullptr;
    }

   private:
    WorkQueue* queue_;
  };

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> heavy_;
  std::deque<std::function<void()>> light_;
  int producers_;
};

// The second thread of write_epub, started on another CPU than the calling thread's when
// the process may use one, then free to run anywhere. On the 2-CPU benchmark machine a new
// thread was often queued behind its busy parent for a scheduler tick (2-3.5 ms, in 5 of 12
// runs) while the other CPU sat idle; created with the parent's CPU left out of its
// affinity, it starts within ~0.1 ms, and its first act is to take the full mask back.
// join() rethrows what the body threw.
class SecondThread {
 public:
  explicit SecondThread(std::function<void()> body) : body_(std::move(body)) {
    sched_getaffinity(0, sizeof allowed_, &allowed_);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    cpu_set_t elsewhere = allowed_;
    const int here = sched_getcpu();
    if (here >= 0 && here < CPU_SETSIZE) CPU_CLR(here, &elsewhere);
    if (CPU_COUNT(&elsewhere) > 0)
      pthread_attr_setaffinity_np(&attributes, sizeof elsewhere, &elsewhere);
    const int status = pthread_create(&thread_, &attributes, &SecondThread::run, this);
    pthread_attr_destroy(&attributes);
    if (status != 0) throw std::system_error(status, std::generic_category(), "pthread_create");
    started_ = true;
  }
  SecondThread(const SecondThread&) = delete;
  SecondThread& operator=(const SecondThread&) = delete;
  ~SecondThread() {
    if (started_) pthread_join(thread_, nullptr);
  }

  void join() {
    if (started_) pthread_join(thread_, nullptr);
    started_ = false;
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  static void* run(void* self) {
    auto* t = static_cast<SecondThread*>(self);
    pthread_setaffinity_np(pthread_self(), sizeof t->allowed_, &t->allowed_);
    try {
      t->body_();
    } catch (...) {
      t->error_ = std::current_exception();
    }
    return nullptr;
  }

  std::function<void()> body_;
  cpu_set_t allowed_{};
  pthread_t thread_{};
  bool started_ = false;
  std::exception_ptr error_;
};

}  // namespace warraq::epub
