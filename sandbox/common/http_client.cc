#include "sandbox/common/http_client.h"

#include <openssl/ssl.h>

#include <chrono>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace sandbox {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

absl::optional<ParsedUrl> ParseUrl(absl::string_view url) {
  const auto parsed =
      boost::urls::parse_absolute_uri(boost::core::string_view(url.data(), url.size()));
  if (!parsed || !parsed->has_authority() || parsed->has_userinfo()) return absl::nullopt;
  ParsedUrl out;
  switch (parsed->scheme_id()) {
    case boost::urls::scheme::https:
      out.tls = true;
      break;
    case boost::urls::scheme::http:
      break;
    default:
      return absl::nullopt;
  }
  out.host = parsed->encoded_host_address();
  // Boost.URL 1.81 lets a path follow the port directly ("h:1.2/x"); RFC 3986 does not.
  const boost::core::string_view path = parsed->encoded_path();
  if (out.host.empty() || (!path.empty() && path.front() != '/')) return absl::nullopt;
  out.port = std::string(parsed->port());  // "" when absent or empty ("h:/"): the default
  int port_number = 0;
  if (!out.port.empty() &&
      (!absl::SimpleAtoi(out.port, &port_number) || port_number <= 0 || port_number > 65535)) {
    return absl::nullopt;
  }
  if (out.port.empty()) out.port = out.tls ? "443" : "80";
  out.target = path.empty() ? "/" : std::string(path);
  if (parsed->has_query()) out.target += "?" + std::string(parsed->encoded_query());
  return out;
}

std::string HttpResponse::Header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? "" : it->second;
}

bool HttpResponse::HasHeader(const std::string& lower_case_name) const {
  return headers.count(lower_case_name) > 0;
}

namespace {

// Runs one asynchronous operation to completion on `io` and returns its error. The stream's
// own expiry (set once for the whole exchange) turns a hang into an error.
template <class Start>
beast::error_code RunOne(net::io_context& io, Start start) {
  beast::error_code result = net::error::operation_aborted;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  io.restart();
  io.run();
  return result;
}

template <class Stream>
absl::StatusOr<HttpResponse> Exchange(net::io_context& io, Stream& stream,
                                      http::request<http::string_body>& request) {
  beast::error_code ec =
      RunOne(io, [&](auto handler) { http::async_write(stream, request, std::move(handler)); });
  if (ec) return absl::UnavailableError(absl::StrCat("writing the request: ", ec.message()));
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(16 << 20);
  ec = RunOne(io,
              [&](auto handler) { http::async_read(stream, buffer, parser, std::move(handler)); });
  if (ec) return absl::UnavailableError(absl::StrCat("reading the response: ", ec.message()));
  const auto& message = parser.get();
  HttpResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    std::string name = absl::AsciiStrToLower(std::string(field.name_string()));
    const std::string field_value(field.value());
    // Repeated fields are joined, as HTTP allows; an empty field still shows up as present.
    auto [it, inserted] = response.headers.emplace(name, field_value);
    if (!inserted) it->second = absl::StrCat(it->second, ", ", field_value);
  }
  response.body = message.body();
  return response;
}

}  // namespace

absl::StatusOr<HttpResponse> HttpFetch(const HttpClientOptions& options, absl::string_view method,
                                       absl::string_view url, const HeaderList& headers,
                                       const std::string& body) {
  const absl::optional<ParsedUrl> parsed = ParseUrl(url);
  if (!parsed) return absl::InvalidArgumentError(absl::StrCat("not an http(s) URL: ", url));
  const http::verb verb = http::string_to_verb(beast::string_view(method.data(), method.size()));
  if (verb == http::verb::unknown) {
    return absl::InvalidArgumentError(absl::StrCat("unknown method ", method));
  }

  http::request<http::string_body> request{verb, parsed->target, 11};
  const bool default_port = parsed->port == (parsed->tls ? "443" : "80");
  const std::string host_header = parsed->host.find(':') != std::string::npos
                                      ? absl::StrCat("[", parsed->host, "]")
                                      : parsed->host;
  request.set(http::field::host,
              default_port ? host_header : absl::StrCat(host_header, ":", parsed->port));
  request.set(http::field::user_agent, "payouts-gateway-sandbox");
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() && request.find(http::field::content_type) == request.end()) {
    request.set(http::field::content_type, "application/json");
  }
  request.keep_alive(false);
  request.body() = body;
  request.prepare_payload();

  net::io_context io;
  tcp::resolver resolver(io);
  beast::error_code ec;
  const auto endpoints = resolver.resolve(parsed->host, parsed->port, ec);
  if (ec)
    return absl::UnavailableError(absl::StrCat("resolving ", parsed->host, ": ", ec.message()));
  const auto timeout = std::chrono::milliseconds(absl::ToInt64Milliseconds(options.timeout));

  if (!parsed->tls) {
    beast::tcp_stream stream(io);
    stream.expires_after(timeout);
    ec = RunOne(io, [&](auto handler) { stream.async_connect(endpoints, std::move(handler)); });
    if (ec) return absl::UnavailableError(absl::StrCat("connecting to ", url, ": ", ec.message()));
    absl::StatusOr<HttpResponse> response = Exchange(io, stream, request);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return response;
  }

  ssl::context context(ssl::context::tls_client);
  context.set_verify_mode(ssl::verify_peer);
  if (!options.ca_pem.empty()) {
    context.add_certificate_authority(net::buffer(options.ca_pem), ec);
  } else if (!options.ca_file.empty()) {
    context.load_verify_file(options.ca_file, ec);
  } else {
    context.set_default_verify_paths(ec);
  }
  if (ec) return absl::InvalidArgumentError(absl::StrCat("loading the CA: ", ec.message()));
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  net::ip::make_address(parsed->host, ec);
  const bool host_is_address = !ec;
  // SNI carries names only (RFC 6066); verification covers IP SANs as well.
  if (!host_is_address && !SSL_set_tlsext_host_name(stream.native_handle(), parsed->host.c_str())) {
    return absl::InternalError("setting SNI failed");
  }
  stream.set_verify_callback(ssl::host_name_verification(parsed->host));
  beast::get_lowest_layer(stream).expires_after(timeout);
  ec = RunOne(io, [&](auto handler) {
    beast::get_lowest_layer(stream).async_connect(endpoints, std::move(handler));
  });
  if (ec) return absl::UnavailableError(absl::StrCat("connecting to ", url, ": ", ec.message()));
  ec = RunOne(io, [&](auto handler) {
    stream.async_handshake(ssl::stream_base::client, std::move(handler));
  });
  if (ec)
    return absl::UnavailableError(absl::StrCat("TLS handshake with ", url, ": ", ec.message()));
  absl::StatusOr<HttpResponse> response = Exchange(io, stream, request);
  // Skip the close_notify round trip: with Connection: close the server is closing anyway.
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
  return response;
}

}  // namespace sandbox
