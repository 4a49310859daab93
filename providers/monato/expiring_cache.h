// A small map whose entries expire after a fixed lifetime and which holds at most a fixed
// number of them (the oldest go first), so a directory of provider objects can neither serve
// an object long after the provider changed it nor grow with every distinct key callers send.
#ifndef PROVIDERS_MONATO_EXPIRING_CACHE_H_
#define PROVIDERS_MONATO_EXPIRING_CACHE_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace providers::monato {

template <typename V>
class ExpiringCache {
 public:
  // `max_entries` >= 1; `now` is the clock (tests pass a fake one).
  ExpiringCache(absl::Duration ttl, size_t max_entries, std::function<absl::Time()> now)
      : ttl_(ttl), max_entries_(max_entries < 1 ? 1 : max_entries), now_(std::move(now)) {}

  // The value stored for `key` less than the lifetime ago, if any.
  absl::optional<V> Get(const std::string& key) {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return absl::nullopt;
    if (now_() - it->second.stored >= ttl_) {
      entries_.erase(it);
      return absl::nullopt;
    }
    return it->second.value;
  }

  // Stores (or replaces) `key`. When full, expired entries go first, then the oldest one.
  void Put(const std::string& key, V value) {
    absl::MutexLock lock(&mu_);
    const absl::Time now = now_();
    auto it = entries_.find(key);
    if (it == entries_.end() && entries_.size() >= max_entries_) MakeRoom(now);
    entries_[key] = Entry{std::move(value), now};
  }

  size_t size() const {
    absl::MutexLock lock(&mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    V value;
    absl::Time stored;
  };

  // Linear in the size, and only when full: the bound is small (thousands).
  void MakeRoom(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto oldest = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (now - it->second.stored >= ttl_) {
        it = entries_.erase(it);
        continue;
      }
      if (oldest == entries_.end() || it->second.stored < oldest->second.stored) oldest = it;
      ++it;
    }
    if (entries_.size() >= max_entries_ && oldest != entries_.end()) entries_.erase(oldest);
  }

  const absl::Duration ttl_;
  const size_t max_entries_;
  const std::function<absl::Time()> now_;
  mutable absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace providers::monato

#endif  // PROVIDERS_MONATO_EXPIRING_CACHE_H_
