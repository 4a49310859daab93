#include "net/http/url.h"

#include <boost/url/authority_view.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace net::http {
namespace {

absl::string_view View(boost::core::string_view text) {
  return absl::string_view(text.data(), text.size());
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
  // Boost.URL's absolute-URI grammar (RFC 3986 §4.3) has no fragment and allows in the path
  // and query only RFC 3986 characters and well-formed %XX escapes: control bytes, spaces and
  // bytes outside ASCII, which could end the request line or start a header, fail to parse.
  // Error messages never echo the URL: it may carry a control byte or a secret.
  const auto parsed =
      boost::urls::parse_absolute_uri(boost::core::string_view(url.data(), url.size()));
  if (!parsed) {
    return absl::InvalidArgumentError(
        "URL is not an absolute http(s) URL of RFC 3986 characters with well-formed '%' escapes "
        "and no fragment");
  }
  const boost::urls::url_view& view = *parsed;
  Url out;
  if (view.scheme() == "https") {
    out.tls = true;
    out.port = 443;
  } else if (view.scheme() == "http") {
    out.tls = false;
    out.port = 80;
  } else {
    return absl::InvalidArgumentError("URL must start with https:// or http://");
  }
  if (!view.has_authority() || view.has_userinfo()) {
    return absl::InvalidArgumentError("URL has no usable host");
  }
  // Names and IP literals only (an IPv6 address without its brackets); a percent-escaped name
  // or an IPvFuture literal is nothing a provider uses.
  const boost::urls::host_type type = view.host_type();
  if (type != boost::urls::host_type::name && type != boost::urls::host_type::ipv4 &&
      type != boost::urls::host_type::ipv6) {
    return absl::InvalidArgumentError("URL host is not a name or an IP address");
  }
  const absl::string_view host = View(view.encoded_host_address());
  if (host.empty()) return absl::InvalidArgumentError("URL has an empty host");
  for (char c : host) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':') {
      return absl::InvalidArgumentError(
          "URL host has a character other than letters, digits, "
          "'.', '-' or ':'");
    }
  }
  if (view.has_port()) {
    const absl::string_view port = View(view.port());
    int number = 0;
    if (!IsDigits(port) || port.size() > 5 || !absl::SimpleAtoi(port, &number) || number < 1 ||
        number > 65535) {
      return absl::InvalidArgumentError("URL port is not 1-65535");
    }
    out.port = number;
  }
  // After an authority RFC 3986 allows only an empty path or one starting with '/'; Boost.URL
  // 1.81 lets a path follow a port directly ("https://h:1.2/x" gives port "1", path ".2/x").
  const absl::string_view path = View(view.encoded_path());
  if (!path.empty() && path.front() != '/') {
    return absl::InvalidArgumentError("URL authority is not host[:port]");
  }
  out.host = absl::AsciiStrToLower(host);
  out.target = std::string(path);
  if (out.target.empty()) out.target = "/";
  if (view.has_query()) absl::StrAppend(&out.target, "?", View(view.encoded_query()));
  return out;
}

absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view text) {
  const auto authority =
      boost::urls::parse_authority(boost::core::string_view(text.data(), text.size()));
  ListenAddress address;
  if (!authority || authority->has_userinfo() || authority->port().empty() ||
      !absl::SimpleAtoi(std::string(authority->port()), &address.port) || address.port < 0 ||
      address.port > 65535) {
    return absl::InvalidArgumentError("must be host:port");
  }
  address.host = std::string(authority->encoded_host_address());
  return address;
}

}  // namespace net::http
