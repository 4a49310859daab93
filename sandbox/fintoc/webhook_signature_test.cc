// Fintoc-Signature with the real vector of docs/providers/fintoc.md#test-vectors.
#include "sandbox/fintoc/webhook_signature.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sandbox/common/crypto.h"
#include "sandbox/fintoc/fintoc_test_vectors.h"

namespace sandbox {
namespace {

TEST(WebhookSignatureTest, ReproducesTheSdkVector) {
  ASSERT_EQ(std::string(kWebhookVectorBody).size(), 785u);
  EXPECT_EQ(HmacSha256Hex(kWebhookVectorSecret,
                          absl::StrCat(kWebhookVectorTimestamp, ".", kWebhookVectorBody)),
            kWebhookVectorSignature);
  EXPECT_EQ(
      FintocSignatureHeader(kWebhookVectorSecret, kWebhookVectorTimestamp, kWebhookVectorBody),
      absl::StrCat("t=1743890251,v1=", kWebhookVectorSignature));
}

TEST(WebhookSignatureTest, VerifiesLikeTheSdks) {
  const std::string header = absl::StrCat("t=1743890251,v1=", kWebhookVectorSignature);
  EXPECT_TRUE(VerifyFintocSignatureHeader(header, kWebhookVectorSecret, kWebhookVectorBody,
                                          kWebhookVectorTimestamp));
  EXPECT_TRUE(VerifyFintocSignatureHeader(header, kWebhookVectorSecret, kWebhookVectorBody,
                                          kWebhookVectorTimestamp + 300));
  EXPECT_FALSE(VerifyFintocSignatureHeader(header, kWebhookVectorSecret, kWebhookVectorBody,
                                           kWebhookVectorTimestamp + 301));
  EXPECT_FALSE(VerifyFintocSignatureHeader(header, "whsec_wrong_secret", kWebhookVectorBody,
                                           kWebhookVectorTimestamp));
  std::string spaced = kWebhookVectorBody;
  spaced.insert(spaced.find(':') + 1, " ");
  EXPECT_FALSE(
      VerifyFintocSignatureHeader(header, kWebhookVectorSecret, spaced, kWebhookVectorTimestamp));
  EXPECT_FALSE(VerifyFintocSignatureHeader("v1=abc", kWebhookVectorSecret, kWebhookVectorBody,
                                           kWebhookVectorTimestamp));
}

}  // namespace
}  // namespace sandbox
