// Page tokens that span providers: what one page hands out decodes to the same position, and
// a provider token that is anything but a short cursor (a URL, CR/LF, spaces, bytes outside
// ASCII) is refused as INVALID_ARGUMENT naming page_token before any provider is asked.
#include "gateway/core/page_token.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "vocabulary/error_details.h"

namespace gateway {
namespace {

TEST(PageTokenTest, RoundTripsProviderCursors) {
  for (const std::string& cursor : {std::string(""), std::string("tr_329NGN1M4If6VvcMRALv4gjAQJx"),
                                    std::string("acc_1"), std::string("2"), std::string("page2")}) {
    auto decoded = DecodePageToken(EncodePageToken({payments::v1::PROVIDER_FINTOC, cursor}));
    ASSERT_TRUE(decoded.ok()) << cursor << ": " << decoded.status();
    EXPECT_EQ(decoded->provider, payments::v1::PROVIDER_FINTOC);
    EXPECT_EQ(decoded->provider_token, cursor);
  }
}

TEST(PageTokenTest, RefusesProviderTokensThatAreNotCursors) {
  for (const std::string& forged : {
           std::string("tr_2\r\nGET /v2/accounts HTTP/1.1"),
           std::string("https://fintoc.test/v2/transfers?limit=2\r\nX: 1"),
           std::string("https://evil.test/v2/transfers?starting_after=tr_2"),
           std::string("tr_2 HTTP/1.1"),
           std::string("tr_2\n"),
           std::string("tr_2/../accounts"),
           std::string("tr_2?limit=300"),
           std::string("tr_%0D%0A"),
           std::string("tr_\xc3\xb1"),
           std::string(5000, 'a'),
       }) {
    const absl::Status status =
        DecodePageToken(EncodePageToken({payments::v1::PROVIDER_FINTOC, forged})).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << forged;
    ASSERT_EQ(FieldViolationsOf(status).size(), 1u) << forged;
    EXPECT_EQ(FieldViolationsOf(status)[0].field(), "page_token");
  }
}

TEST(PageTokenTest, RoundTripsSizesAndReadsOldTokens) {
  auto decoded = DecodePageToken(EncodePageToken({payments::v1::PROVIDER_MONATO, "3", 47, 12}));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->provider_token, "3");
  EXPECT_EQ(decoded->read_size, 47);
  EXPECT_EQ(decoded->skip, 12);
  // A token handed out before sizes were carried: its cursor, sizes not fixed.
  auto old = DecodePageToken(absl::WebSafeBase64Escape("p1\nfintoc\ntr_2"));
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->provider, payments::v1::PROVIDER_FINTOC);
  EXPECT_EQ(old->provider_token, "tr_2");
  EXPECT_EQ(old->read_size, 0);
  EXPECT_EQ(old->skip, 0);
}

TEST(PageTokenTest, RefusesSizesOutOfRangeOrSpelledOddly) {
  for (const std::string& forged :
       {std::string("p2\nfintoc\ntr_2\n101\n0"), std::string("p2\nfintoc\ntr_2\n5\n101"),
        std::string("p2\nfintoc\ntr_2\n-1\n0"), std::string("p2\nfintoc\ntr_2\n+5\n0"),
        std::string("p2\nfintoc\ntr_2\n05\n0"), std::string("p2\nfintoc\ntr_2\n5\n"),
        std::string("p2\nfintoc\ntr_2\n5"), std::string("p2\nfintoc\ntr_2\n5\n1\n1"),
        std::string("p1\nfintoc\ntr_2\n5\n1")}) {
    EXPECT_EQ(FieldViolationsOf(DecodePageToken(absl::WebSafeBase64Escape(forged)).status()).size(),
              1u)
        << forged;
  }
}

TEST(PageTokenTest, RefusesWhatNoPageMade) {
  for (const std::string& forged :
       {std::string("not-a-token"), absl::WebSafeBase64Escape("p1\npaypal\ntr_2"),
        absl::WebSafeBase64Escape("p0\nfintoc\ntr_2"), std::string("\r\n")}) {
    EXPECT_EQ(FieldViolationsOf(DecodePageToken(forged).status()).size(), 1u) << forged;
  }
}

}  // namespace
}  // namespace gateway
