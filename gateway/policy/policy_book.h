// The caller policies in force, parsed from the policies file (YAML, docs/policies.md) and
// swapped whole on reload. With no policies file the gateway is open (every caller may do
// everything, as before policies existed); with one, a caller it does not name gets nothing.
#ifndef GATEWAY_POLICY_POLICY_BOOK_H_
#define GATEWAY_POLICY_POLICY_BOOK_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "gateway/policy/caller_policy.h"

namespace gateway {

class PolicyBook {
 public:
  // Open: no policies configured.
  PolicyBook() = default;
  // Parses the policies file. INVALID_ARGUMENT naming the caller and the key when anything is
  // wrong (unknown key, unknown operation or scope, a window that is not a positive duration up
  // to 31 days, a negative or non-integer amount, a duplicated caller or limit name, a currency
  // other than MXN, a pattern with characters outside [A-Za-z0-9._*-]); a file that names no
  // caller at all is refused too (it would lock everyone out by mistake).
  static absl::StatusOr<std::unique_ptr<PolicyBook>> FromYaml(const std::string& text);

  bool enabled() const;
  // Null when the book is open (no policies file). Otherwise the caller's policy, or an empty
  // one (no operations, no accounts) for a caller the file does not name.
  std::shared_ptr<const CallerPolicy> For(const std::string& caller) const;
  // Every policy the file names, by caller name (empty when open): metrics and tests.
  std::vector<std::shared_ptr<const CallerPolicy>> All() const;
  // Swaps in a newly read file (reload without a restart); the old policies stay when the new
  // file was refused, because the caller never gets here with a refused file.
  void Replace(PolicyBook&& other);

 private:
  mutable absl::Mutex mu_;
  bool enabled_ ABSL_GUARDED_BY(mu_) = false;
  std::map<std::string, std::shared_ptr<const CallerPolicy>> policies_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gateway

#endif  // GATEWAY_POLICY_POLICY_BOOK_H_
