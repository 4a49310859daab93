#include "gtest/gtest.h"
#include "net/http/http_types.h"
#include "net/http/retry_policy.h"
#include "net/http/url.h"

namespace net::http {
namespace {

TEST(UrlTest, ParsesWhatProvidersUse) {
  auto url = ParseUrl("https://api.fintoc.com/v2/transfers?starting_after=tr_1");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->host, "api.fintoc.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/v2/transfers?starting_after=tr_1");
  EXPECT_EQ(url->Origin(), "https://api.fintoc.com:443");

  auto local = ParseUrl("https://127.0.0.1:8443");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->port, 8443);
  EXPECT_EQ(local->target, "/");
  auto v6 = ParseUrl("http://[::1]:8080/hook");
  ASSERT_TRUE(v6.ok());
  EXPECT_FALSE(v6->tls);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(ParseUrl("https://Host.Example/x?y")->target, "/x?y");
  EXPECT_EQ(ParseUrl("https://h?q=1")->target, "/?q=1");
}

TEST(UrlTest, RejectsWhatItCannotSafelyUse) {
  for (const char* bad :
       {"", "ftp://x/", "https://", "https://user:pw@host/", "https://h:0/", "https://h:65536/",
        "https://h:x/", "https://h/#frag", "https://ho st/", "api.fintoc.com/v2", "https://@h/",
        "https://h:/", "HTTPS://h/", "https://h%41/", "https://[v1.x]/", "https://a:b:80/",
        "https://1227.0.0.1:17.0.0.1:18443?q=1"}) {
    EXPECT_FALSE(ParseUrl(bad).ok()) << bad;
  }
}

// Every byte of the request line comes from the URL: anything that could end the line or a
// header, or that a server may read differently, is refused in every part.
TEST(UrlTest, RefusesControlCharactersSpacesAndNonAsciiInEveryPart) {
  const std::string nul("https://h/x\0y", 13);
  for (const std::string& bad : {
           std::string("https://h/x\r\nHost: evil.test"),
           std::string("https://h/x?a=1\r\n\r\nGET /v2/accounts HTTP/1.1"),
           std::string("https://h/x?a=1\nX: y"),
           std::string("https://h/x y"),
           std::string("https://h/?q=a b"),
           std::string("https://h/x\ty"),
           std::string("https://h/\x7f"),
           std::string("https://h/\xc3\xb1"),
           std::string("https://h/?q=\xc3\xb1"),
           nul,
           std::string("https://h\r\n/x"),
           std::string("https://h\xc3\xb1/x"),
           std::string("https://h:80\r\n/x"),
           std::string("https://h: 80/x"),
           std::string("https://h:80 /x"),
           std::string("https://h:+80/x"),
           std::string("https:// h/x"),
           std::string(" https://h/x"),
           std::string("\x01https://h/x"),
           std::string("https://h/%zz"),
           std::string("https://h/%2"),
           std::string("https://h/a\"b"),
           std::string("https://h/<x>"),
           std::string("https://h/a\\b"),
           std::string("https://h/{x}"),
           std::string("https://h/a|b"),
           std::string("https://h/a^b"),
           std::string("https://h/a`b"),
       }) {
    EXPECT_EQ(ParseUrl(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  // What providers do send stays accepted.
  for (const char* good :
       {"https://h/a%2Fb?x=%20&y=1", "https://h/v2/transfers?limit=2&starting_after=tr_1",
        "https://h/p;a=b/c:d@e!$&'()*+,=-._~", "http://[::1]:8080/hook?x=1"}) {
    EXPECT_TRUE(ParseUrl(good).ok()) << good;
  }
}

// Found by fuzz/url_fuzzer: the target was written into the request line as given, so a CR/LF
// (e.g. from a page token) started a second request on the connection.
TEST(UrlTest, RejectsBytesThatAreNotSafeInARequestLine) {
  for (const char* bad :
       {"http://p?\n", "https://h/a\r\nGET /other HTTP/1.1", "https://h/a b", "https://h/\x7f",
        "https://h/caf\xc3\xa9", "https://h/?q=\t", "https://h\r/"}) {
    EXPECT_FALSE(ParseUrl(bad).ok()) << bad;
  }
  EXPECT_TRUE(ParseUrl("https://h/a%20b?c=%0D%0A").ok());  // percent-encoded is fine
}

TEST(RetryPolicyTest, RetryableStatuses) {
  for (int status : {429, 502, 503, 504}) EXPECT_TRUE(IsRetryableHttpStatus(status)) << status;
  for (int status : {200, 201, 400, 401, 404, 409, 422, 500}) {
    EXPECT_FALSE(IsRetryableHttpStatus(status)) << status;
  }
}

TEST(RetryPolicyTest, ParsesRetryAfterInBothForms) {
  const absl::Time now = absl::FromUnixSeconds(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(*ParseRetryAfter("3", now), absl::Seconds(3));
  EXPECT_EQ(*ParseRetryAfter(" 0 ", now), absl::ZeroDuration());
  EXPECT_EQ(*ParseRetryAfter("Wed, 21 Oct 2015 07:28:05 GMT", now), absl::Seconds(5));
  EXPECT_EQ(*ParseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now), absl::ZeroDuration());
  EXPECT_FALSE(ParseRetryAfter("", now).has_value());
  EXPECT_FALSE(ParseRetryAfter("-1", now).has_value());
  EXPECT_FALSE(ParseRetryAfter("soon", now).has_value());
}

TEST(RetryPolicyTest, BackoffGrowsWithJitterAndIsCapped) {
  RetryOptions options;
  options.initial_backoff = absl::Milliseconds(100);
  options.max_backoff = absl::Milliseconds(400);
  Backoff backoff(options);
  absl::Duration largest_second = absl::ZeroDuration(), largest_fifth = absl::ZeroDuration();
  bool varied = false;
  absl::Duration first = backoff.Delay(2);
  for (int i = 0; i < 500; ++i) {
    absl::Duration second = backoff.Delay(2);
    absl::Duration fifth = backoff.Delay(5);
    EXPECT_GE(second, absl::ZeroDuration());
    EXPECT_LE(second, absl::Milliseconds(100));
    EXPECT_LE(fifth, absl::Milliseconds(400));
    largest_second = std::max(largest_second, second);
    largest_fifth = std::max(largest_fifth, fifth);
    varied = varied || second != first;
  }
  EXPECT_TRUE(varied);                                // jitter
  EXPECT_GT(largest_fifth, absl::Milliseconds(150));  // grew beyond the first step
}

TEST(HttpTypesTest, SentMarkSurvivesAndHeadersAreCaseInsensitive) {
  absl::Status status = MarkRequestSent(absl::DeadlineExceededError("late"));
  EXPECT_TRUE(RequestMayHaveBeenSent(status));
  EXPECT_FALSE(RequestMayHaveBeenSent(absl::UnavailableError("refused")));
  EXPECT_TRUE(MarkRequestSent(absl::OkStatus()).ok());
  HttpResponse response;
  response.headers = {{"retry-after", "2"}, {"link", "<x>; rel=\"next\""}};
  EXPECT_EQ(response.Header("Retry-After"), "2");
  EXPECT_EQ(response.Header("LINK"), "<x>; rel=\"next\"");
  EXPECT_EQ(response.Header("missing"), "");
}

}  // namespace
}  // namespace net::http
