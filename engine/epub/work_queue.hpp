// Work that the two threads of write_epub share: jobs pushed by either thread, run by
// whichever is free, the heavy ones first. A job writes only its own result slot and its
// output depends on its input alone, so the digest's bytes never depend on which thread ran
// what, or when.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

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

}  // namespace warraq::epub
