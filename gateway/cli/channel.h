// payctl's connection to the gateway: plaintext (the local demo) or TLS with the operator's CA,
// optionally with a client certificate (mutual TLS), and the caller token from a file or the
// environment. Verification of the server certificate is never turned off.
#ifndef GATEWAY_CLI_CHANNEL_H_
#define GATEWAY_CLI_CHANNEL_H_

#include <memory>
#include <string>

#include <grpcpp/channel.h>

#include "absl/status/statusor.h"

namespace gateway {

struct ChannelOptions {
  std::string address;
  std::string tls_ca_file;    // empty: plaintext
  std::string tls_cert_file;  // client certificate (mutual TLS); with tls_key_file
  std::string tls_key_file;
  std::string tls_server_name;  // overrides the name checked in the server certificate
};

// INVALID_ARGUMENT naming the flag for a file that cannot be read, a client certificate without
// its key (or the reverse), or TLS-only flags without --tls_ca_file. No connection is attempted.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const ChannelOptions& options);

// The caller token: the contents of `token_file` without trailing newlines (Kubernetes secret
// files may end with one) if it is set, else the environment variable GATEWAY_CALLER_TOKEN, else
// empty. Errors name the flag and the path, never the token.
absl::StatusOr<std::string> ReadCallerToken(const std::string& token_file);

}  // namespace gateway

#endif  // GATEWAY_CLI_CHANNEL_H_
