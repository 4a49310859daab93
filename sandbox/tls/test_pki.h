// A throwaway certificate authority and server certificate for the sandbox and tests: made
// fresh at start-up (ECDSA P-256, valid for a day), never shipped, never trusted by default.
// Clients trust it by pointing their CA bundle option at ca_cert_pem written to a file.
#ifndef SANDBOX_TLS_TEST_PKI_H_
#define SANDBOX_TLS_TEST_PKI_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace sandbox {

struct TestPki {
  std::string ca_cert_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
};

// A CA named `ca_name`, and a server certificate it signs for `dns_names` and `ip_addresses`
// (subjectAltName entries; e.g. {"localhost"} and {"127.0.0.1"}).
absl::StatusOr<TestPki> MakeTestPki(const std::string& ca_name,
                                    const std::vector<std::string>& dns_names,
                                    const std::vector<std::string>& ip_addresses);

}  // namespace sandbox

#endif  // SANDBOX_TLS_TEST_PKI_H_
