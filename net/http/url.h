// Splits the absolute URLs the client is given into what a connection needs.
#ifndef NET_HTTP_URL_H_
#define NET_HTTP_URL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace net::http {

struct Url {
  bool tls = true;   // https
  std::string host;  // "api.fintoc.com", "127.0.0.1"; IPv6 without brackets
  int port = 443;
  std::string target;  // "/v2/transfers?limit=2"; "/" when the URL has no path

  // "host:port", the key of a connection pool.
  std::string Origin() const;
};

// INVALID_ARGUMENT unless `url` is http(s)://host[:port][/path][?query] (no user info, no
// fragment, port 1-65535 in digits only, host of letters, digits, '.', '-' and ':', path and
// query of RFC 3986 characters with well-formed %XX escapes). Control characters, spaces and
// bytes outside ASCII are refused in every part, so a URL can never write more than one
// request line.
absl::StatusOr<Url> ParseUrl(absl::string_view url);

// Where a server listens: "host:port", "[IPv6]:port" or ":port" (every address); port 0 picks
// a free one. Parsed by Boost.URL as an authority; user info is refused.
struct ListenAddress {
  std::string host;  // without brackets; "" for every address
  int port = 0;
};
// INVALID_ARGUMENT (message: "must be host:port") when `text` is not one.
absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view text);

}  // namespace net::http

#endif  // NET_HTTP_URL_H_
