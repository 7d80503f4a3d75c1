// SIGINT/SIGTERM as a request to stop. The signals are blocked in every thread and taken by
// one watcher thread with sigtimedwait, so no code runs in a signal handler at all (POSIX
// allows only async-signal-safe calls there; this way the watcher may do anything).
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <thread>

#include "internal.hpp"

namespace warraq::batch {

struct StopOnSignals::Impl {
  sigset_t set{};
  sigset_t previous{};
  std::atomic<int> stop{0};
  std::atomic<bool> done{false};
  std::thread watcher;
};

StopOnSignals::StopOnSignals() : impl_(std::make_unique<Impl>()) {
  sigemptyset(&impl_->set);
  sigaddset(&impl_->set, SIGINT);
  sigaddset(&impl_->set, SIGTERM);
  // Blocked here, before any worker starts, so every thread created later inherits the mask
  // and the signal waits for the watcher instead of killing the process mid-write.
  pthread_sigmask(SIG_BLOCK, &impl_->set, &impl_->previous);
  impl_->watcher = std::thread([impl = impl_.get()] {
    const timespec tick{0, 100'000'000};  // 0.1 s: how soon the watcher notices the end
    while (!impl->done.load()) {
      const int sig = sigtimedwait(&impl->set, nullptr, &tick);
      if (sig <= 0) continue;
      if (impl->stop.load() == 0) {
        impl->stop.store(sig);
        static const char note[] =
            "\nwarraq: stopping after the outputs being written (signal again to stop now)\n";
        (void)!::write(STDERR_FILENO, note, sizeof note - 1);
        continue;
      }
      // A second signal: the user will not wait. Remove what the writers have half written
      // (their destructors will not run) and leave; complete outputs stay.
      inflight_remove_temporaries();
      ::_exit(128 + sig);
    }
  });
}

StopOnSignals::~StopOnSignals() {
  impl_->done.store(true);
  impl_->watcher.join();
  pthread_sigmask(SIG_SETMASK, &impl_->previous, nullptr);
}

const std::atomic<int>& StopOnSignals::stop() const { return impl_->stop; }

}  // namespace warraq::batch
