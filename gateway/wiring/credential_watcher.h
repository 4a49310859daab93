// Re-applies secrets when their files change, so rotated credentials (new caller tokens, new
// Monato credentials, a new Fintoc secret key) are used without a restart. Kubernetes updates a
// mounted Secret by swapping a symlink; stat() follows it, so the identity seen here changes.
//
// A failed apply (unreadable file, a key of the wrong mode, a malformed callers file) is
// logged by name, never by value, and the credentials in use stay as they were.
#ifndef GATEWAY_WIRING_CREDENTIAL_WATCHER_H_
#define GATEWAY_WIRING_CREDENTIAL_WATCHER_H_

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace gateway {

class CredentialWatcher {
 public:
  // Reads its secrets again and puts them in use.
  using Apply = std::function<absl::Status()>;

  explicit CredentialWatcher(absl::Duration interval = absl::Seconds(1));
  ~CredentialWatcher();  // stops the thread

  // `name` is what logs and metrics call it ("server.callers"). Call before Start.
  void Watch(std::string name, std::vector<std::string> files, Apply apply);
  void Start();
  void Stop();
  // One pass over every watched group (the thread calls it every interval).
  void CheckNow();

 private:
  struct Group {
    std::string name;
    std::vector<std::string> files;
    Apply apply;
    std::string seen;  // the files' identity at the last apply (or at Watch)
  };

  const absl::Duration interval_;
  absl::Mutex mu_;
  std::vector<Group> groups_ ABSL_GUARDED_BY(mu_);
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace gateway

#endif  // GATEWAY_WIRING_CREDENTIAL_WATCHER_H_
