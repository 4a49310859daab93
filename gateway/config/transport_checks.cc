#include "gateway/config/transport_checks.h"

#include <algorithm>
#include <vector>

#include <boost/url/pct_string_view.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "vocabulary/status_macros.h"

namespace gateway {
namespace {

// libpq's %XX escapes (no '+' for a space), decoded by Boost.URL; text with a malformed escape
// is kept as written (libpq itself then refuses the URL).
std::string PercentDecode(absl::string_view in) {
  const auto escaped =
      boost::urls::make_pct_string_view(boost::core::string_view(in.data(), in.size()));
  return escaped ? escaped->decode() : std::string(in);
}

// "host:port", "[v6]:port" or "host" -> host.
absl::string_view HostOf(absl::string_view hostport) {
  if (absl::ConsumePrefix(&hostport, "[")) return hostport.substr(0, hostport.find(']'));
  return hostport.substr(0, hostport.rfind(':'));
}

struct PostgresTarget {
  std::vector<std::string> hosts;  // empty: libpq's default (a Unix socket)
  std::string sslmode;
};

// The hosts and sslmode of a libpq URL:
// postgres[ql]://[user[:pw]@][host[:port][,...]][/db][?k=v&...] (a host= parameter replaces the
// hosts in the authority).
PostgresTarget ParsePostgresUrl(absl::string_view url) {
  PostgresTarget target;
  absl::string_view rest = url.substr(url.find("://") + 3);
  const size_t question = rest.find('?');
  const absl::string_view query =
      question == absl::string_view::npos ? "" : rest.substr(question + 1);
  absl::string_view authority = rest.substr(0, std::min(rest.find('/'), question));
  if (const size_t at = authority.rfind('@'); at != absl::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  for (absl::string_view hostport : absl::StrSplit(authority, ',', absl::SkipEmpty())) {
    target.hosts.push_back(PercentDecode(HostOf(hostport)));
  }
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    const size_t equals = pair.find('=');
    const std::string key = PercentDecode(pair.substr(0, equals));
    const std::string value =
        equals == absl::string_view::npos ? "" : PercentDecode(pair.substr(equals + 1));
    if (key == "host") {
      target.hosts = absl::StrSplit(value, ',', absl::SkipEmpty());
    } else if (key == "sslmode") {
      target.sslmode = value;
    }
  }
  return target;
}

absl::Status CheckGrpc(const GatewayConfig& config) {
  const bool tokens = !config.callers.file.empty() || !config.callers.env.empty();
  if (!tokens || !config.tls_cert_file.empty() || config.allow_plaintext) {
    return absl::OkStatus();
  }
  const absl::string_view address = config.listen_address;
  if (absl::StartsWith(address, "unix:") || IsLocalHost(HostOf(address))) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "server.callers: caller tokens would cross the network in plaintext on ", address,
      ": set server.tls_cert_file and server.tls_key_file, or server.allow_plaintext: true "
      "when a service mesh encrypts pod traffic (mTLS)"));
}

absl::Status CheckStore(const GatewayConfig& config) {
  const std::string& url = config.store_url;
  if (!absl::StartsWith(url, "postgres://") && !absl::StartsWith(url, "postgresql://")) {
    return absl::OkStatus();
  }
  if (config.store_allow_plaintext) return absl::OkStatus();
  const PostgresTarget target = ParsePostgresUrl(url);
  const std::string mode = absl::AsciiStrToLower(target.sslmode);
  if (mode == "require" || mode == "verify-ca" || mode == "verify-full") return absl::OkStatus();
  std::vector<std::string> remote;
  for (const std::string& host : target.hosts) {
    if (!IsLocalHost(host)) remote.push_back(host);
  }
  if (remote.empty()) return absl::OkStatus();
  // Host names only: the URL carries the password.
  return absl::InvalidArgumentError(absl::StrCat(
      "store.url: PostgreSQL on ", absl::StrJoin(remote, ","), " without sslmode=verify-full (or ",
      "require/verify-ca) would send the password and the ledger in plaintext: add "
      "sslmode=verify-full to the URL, or set store.allow_plaintext: true on a trusted network"));
}

}  // namespace

bool IsLocalHost(absl::string_view host) {
  if (host.empty() || host.front() == '/' || absl::EqualsIgnoreCase(host, "localhost")) {
    return true;  // empty or a path: a Unix socket
  }
  if (host == "::1") return true;
  return absl::StartsWith(host, "127.") && std::count(host.begin(), host.end(), '.') == 3 &&
         host.find_first_not_of("0123456789.") == absl::string_view::npos;
}

absl::Status CheckTransport(const GatewayConfig& config) {
  RETURN_IF_ERROR(CheckGrpc(config));
  return CheckStore(config);
}

}  // namespace gateway
