#include "net/http/url.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace net::http {
namespace {

// RFC 3986 characters of a path and query besides letters and digits: unreserved, sub-delims,
// ':', '@', '/', '?' and '%' (followed by two hex digits). Everything else, above all CR, LF,
// spaces, other controls and bytes outside ASCII, could end the request line, start a header
// or be read differently by another server, so it is refused rather than sent.
bool IsTargetText(absl::string_view target) {
  for (size_t i = 0; i < target.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(target[i]);
    if (absl::ascii_isalnum(c) || absl::StrContains("-._~!$&'()*+,;=:@/?", static_cast<char>(c))) {
      continue;
    }
    if (c == '%' && i + 2 < target.size() &&
        absl::ascii_isxdigit(static_cast<unsigned char>(target[i + 1])) &&
        absl::ascii_isxdigit(static_cast<unsigned char>(target[i + 2]))) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

bool IsDigits(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string Url::Origin() const {
  return absl::StrCat(tls ? "https://" : "http://", host, ":", port);
}

absl::StatusOr<Url> ParseUrl(absl::string_view url) {
  Url out;
  absl::string_view rest = url;
  if (absl::ConsumePrefix(&rest, "https://")) {
    out.tls = true;
    out.port = 443;
  } else if (absl::ConsumePrefix(&rest, "http://")) {
    out.tls = false;
    out.port = 80;
  } else {
    return absl::InvalidArgumentError("URL must start with https:// or http://");
  }
  const size_t path_start = rest.find_first_of("/?#");
  absl::string_view authority = rest.substr(0, path_start);
  absl::string_view target =
      path_start == absl::string_view::npos ? absl::string_view() : rest.substr(path_start);
  if (authority.empty() || absl::StrContains(authority, '@')) {
    return absl::InvalidArgumentError("URL has no usable host");
  }
  if (absl::StrContains(target, '#')) {
    return absl::InvalidArgumentError("URL must not have a fragment");
  }
  absl::string_view host = authority;
  absl::string_view port;
  bool has_port = false;
  if (absl::StartsWith(authority, "[")) {  // [IPv6]:port
    const size_t close = authority.find(']');
    if (close == absl::string_view::npos) return absl::InvalidArgumentError("bad IPv6 host");
    host = authority.substr(1, close - 1);
    absl::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!absl::ConsumePrefix(&after, ":")) return absl::InvalidArgumentError("bad port");
      port = after;
      has_port = true;
    }
  } else if (const size_t colon = authority.rfind(':'); colon != absl::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    has_port = true;
  }
  if (host.empty()) return absl::InvalidArgumentError("URL has an empty host");
  // Error messages never echo the URL: it may carry a control byte or a secret.
  for (char c : host) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':') {
      return absl::InvalidArgumentError(
          "URL host has a character other than letters, digits, "
          "'.', '-' or ':'");
    }
  }
  if (has_port) {
    int number = 0;
    if (!IsDigits(port) || port.size() > 5 || !absl::SimpleAtoi(port, &number) || number < 1 ||
        number > 65535) {
      return absl::InvalidArgumentError("URL port is not 1-65535");
    }
    out.port = number;
  }
  if (!IsTargetText(target)) {
    return absl::InvalidArgumentError(
        "URL path or query has a control character, a space, a byte outside ASCII, a bad '%' "
        "escape or a character RFC 3986 does not allow");
  }
  out.host = absl::AsciiStrToLower(host);
  out.target = target.empty() ? "/" : std::string(target);
  if (out.target.front() == '?') out.target.insert(0, "/");
  return out;
}

}  // namespace net::http
