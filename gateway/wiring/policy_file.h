// The caller policies file (server.policies_file, docs/policies.md): read at start, where a
// refused file stops the start, and re-read when it changes, where a refused file is logged by
// name and the policies in use stay (like the callers file).
#ifndef GATEWAY_WIRING_POLICY_FILE_H_
#define GATEWAY_WIRING_POLICY_FILE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gateway/policy/policy_book.h"
#include "gateway/wiring/credential_watcher.h"

namespace gateway {

// The policies `file` holds; an error names the file (never its content).
absl::StatusOr<std::unique_ptr<PolicyBook>> LoadPolicyFile(const std::string& file);

// Re-reads `file` into `policies` when it changes (the watcher group "server.policies").
// `policies` must outlive `watcher`'s thread.
void WatchPolicyFile(const std::string& file, PolicyBook* policies, CredentialWatcher* watcher);

}  // namespace gateway

#endif  // GATEWAY_WIRING_POLICY_FILE_H_
