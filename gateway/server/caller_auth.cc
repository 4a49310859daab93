#include "gateway/server/caller_auth.h"

#include <openssl/crypto.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gateway {
namespace {
constexpr size_t kMinTokenLength = 16;
}  // namespace

absl::StatusOr<std::unique_ptr<CallerAuthenticator>> CallerAuthenticator::FromText(
    const std::string& text) {
  auto auth = std::make_unique<CallerAuthenticator>();
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    const size_t colon = line.find(':');
    const absl::string_view caller =
        colon == absl::string_view::npos ? "" : absl::StripAsciiWhitespace(line.substr(0, colon));
    const absl::string_view token =
        colon == absl::string_view::npos ? "" : absl::StripAsciiWhitespace(line.substr(colon + 1));
    if (caller.empty() || token.size() < kMinTokenLength) {
      return absl::InvalidArgumentError(absl::StrCat(
          "callers file line ", number, ": expected \"caller: token\" with a token of at least ",
          kMinTokenLength, " characters"));
    }
    // A caller may have several tokens (old and new while its service rolls over to the new
    // one); a token names exactly one caller.
    for (const auto& [unused, existing] : auth->tokens_) {
      if (existing == token) {
        return absl::InvalidArgumentError(
            absl::StrCat("callers file line ", number, ": this token is already on another line"));
      }
    }
    auth->tokens_.emplace_back(std::string(caller), std::string(token));
  }
  // A configured file that names nobody would turn authentication off (every call caller "").
  if (auth->tokens_.empty()) {
    return absl::InvalidArgumentError(
        "the callers file has no caller token (only comments or "
        "blank lines)");
  }
  return auth;
}

bool CallerAuthenticator::enabled() const {
  absl::MutexLock lock(&mu_);
  return by_certificate_ || !tokens_.empty();
}

void CallerAuthenticator::Replace(CallerAuthenticator&& other) {
  std::vector<std::pair<std::string, std::string>> tokens;
  {
    absl::MutexLock lock(&other.mu_);
    tokens.swap(other.tokens_);
  }
  absl::MutexLock lock(&mu_);
  tokens_.swap(tokens);
}

std::unique_ptr<CallerAuthenticator> CallerAuthenticator::FromClientCertificates() {
  auto auth = std::make_unique<CallerAuthenticator>();
  auth->by_certificate_ = true;
  return auth;
}

absl::StatusOr<std::string> CallerAuthenticator::Authenticate(
    const grpc::CallbackServerContext& context) const {
  absl::MutexLock lock(&mu_);
  if (tokens_.empty() && by_certificate_) {
    // Verified by the TLS handshake against the client CA; the CN names the caller.
    const auto names = context.auth_context()->FindPropertyValues("x509_common_name");
    if (names.empty() || names.front().empty()) {
      return absl::UnauthenticatedError("a client certificate with a common name is required");
    }
    return std::string(names.front().data(), names.front().size());
  }
  if (tokens_.empty()) return std::string();
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError("missing authorization: Bearer <caller token>");
  }
  absl::string_view presented(it->second.data(), it->second.size());
  if (!absl::ConsumePrefix(&presented, "Bearer ")) {
    return absl::UnauthenticatedError("authorization must be \"Bearer <caller token>\"");
  }
  const std::string* caller = nullptr;
  for (const auto& [name, token] : tokens_) {
    // Every token is compared, so timing says nothing about which one (if any) matched.
    const bool match = token.size() == presented.size() &&
                       CRYPTO_memcmp(token.data(), presented.data(), token.size()) == 0;
    if (match) caller = &name;
  }
  if (caller == nullptr) return absl::UnauthenticatedError("unknown caller token");
  return *caller;
}

}  // namespace gateway
