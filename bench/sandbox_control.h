// The sandbox's control endpoints (/_sandbox/...), for scenarios that change the providers'
// behaviour mid-run: expire Monato's tokens, add latency, read a simulator's counters.
#ifndef BENCH_SANDBOX_CONTROL_H_
#define BENCH_SANDBOX_CONTROL_H_

#include <string>

#include "absl/status/statusor.h"

namespace bench {

// `method` `base_url` + `path` with a JSON `body` over HTTPS verified against `ca_file`;
// the reply body on a 2xx, else an error naming the status.
absl::StatusOr<std::string> SandboxControl(const std::string& base_url, const std::string& ca_file,
                                           const std::string& method, const std::string& path,
                                           const std::string& body = "");

// An integer field of a JSON object reply (e.g. "tokens_issued" of /_sandbox/monato/state).
absl::StatusOr<int64_t> JsonInteger(const std::string& json, const std::string& field);

}  // namespace bench

#endif  // BENCH_SANDBOX_CONTROL_H_
