#include "gateway/cli/channel.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gateway {
namespace {

// The whole file, or INVALID_ARGUMENT naming the flag (an empty file is as useless as none).
absl::StatusOr<std::string> ReadFlagFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  if (in) content << in.rdbuf();
  if (!in || content.str().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": cannot read ", path, " (missing, unreadable or empty)"));
  }
  return content.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const ChannelOptions& options) {
  if (options.tls_ca_file.empty()) {
    if (!options.tls_cert_file.empty() || !options.tls_key_file.empty() ||
        !options.tls_server_name.empty()) {
      return absl::InvalidArgumentError(
          "--tls_cert_file, --tls_key_file and --tls_server_name need --tls_ca_file");
    }
    return grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials());
  }
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        options.tls_cert_file.empty() ? "--tls_key_file" : "--tls_cert_file", " is set without ",
        options.tls_cert_file.empty() ? "--tls_cert_file" : "--tls_key_file",
        ": a client certificate needs both"));
  }
  grpc::SslCredentialsOptions ssl;
  auto ca = ReadFlagFile("tls_ca_file", options.tls_ca_file);
  if (!ca.ok()) return ca.status();
  ssl.pem_root_certs = *std::move(ca);
  if (!options.tls_cert_file.empty()) {
    auto cert = ReadFlagFile("tls_cert_file", options.tls_cert_file);
    if (!cert.ok()) return cert.status();
    auto key = ReadFlagFile("tls_key_file", options.tls_key_file);
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *std::move(cert);
    ssl.pem_private_key = *std::move(key);
  }
  grpc::ChannelArguments arguments;
  if (!options.tls_server_name.empty()) {
    arguments.SetSslTargetNameOverride(options.tls_server_name);
  }
  return grpc::CreateCustomChannel(options.address, grpc::SslCredentials(ssl), arguments);
}

absl::StatusOr<std::string> ReadCallerToken(const std::string& token_file) {
  if (token_file.empty()) {
    const char* token = std::getenv("GATEWAY_CALLER_TOKEN");
    return std::string(token == nullptr ? "" : token);
  }
  auto token = ReadFlagFile("token_file", token_file);
  if (!token.ok()) return token.status();
  while (!token->empty() && (token->back() == '\n' || token->back() == '\r')) token->pop_back();
  if (token->empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--token_file: ", token_file, " is empty"));
  }
  return token;
}

}  // namespace gateway
