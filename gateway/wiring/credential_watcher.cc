#include "gateway/wiring/credential_watcher.h"

#include <sys/stat.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/logging/json_log.h"
#include "metrics/gateway_metrics.h"

namespace gateway {
namespace {

// Device, inode, size and modification time of each file; "" for a file that cannot be
// stat()ed (mid-rotation): such a pass changes nothing.
std::string Identity(const std::vector<std::string>& files) {
  std::string identity;
  for (const std::string& file : files) {
    struct stat info {};
    if (stat(file.c_str(), &info) != 0) return "";
    absl::StrAppend(&identity, info.st_dev, ":", info.st_ino, ":", info.st_size, ":",
                    info.st_mtim.tv_sec, ".", info.st_mtim.tv_nsec, ";");
  }
  return identity;
}

}  // namespace

CredentialWatcher::CredentialWatcher(absl::Duration interval) : interval_(interval) {}

CredentialWatcher::~CredentialWatcher() { Stop(); }

void CredentialWatcher::Watch(std::string name, std::vector<std::string> files, Apply apply) {
  absl::MutexLock lock(&mu_);
  std::string seen = Identity(files);
  groups_.push_back({std::move(name), std::move(files), std::move(apply), std::move(seen)});
}

void CredentialWatcher::Start() {
  thread_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(interval_)) CheckNow();
  });
}

void CredentialWatcher::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void CredentialWatcher::CheckNow() {
  absl::MutexLock lock(&mu_);
  for (Group& group : groups_) {
    const std::string now = Identity(group.files);
    if (now.empty() || now == group.seen) continue;
    group.seen = now;
    const absl::Status applied = group.apply();
    metrics::Metrics().credential_reloads->Increment({group.name, applied.ok() ? "ok" : "refused"});
    if (applied.ok()) {
      Log(LogLevel::kInfo, "credentials_reloaded", {{"credentials", group.name}});
    } else {
      Log(LogLevel::kError, "credentials_reload_failed",
          {{"credentials", group.name}, {"error", std::string(applied.message())}});
    }
  }
}

}  // namespace gateway
