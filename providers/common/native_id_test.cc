#include "providers/common/native_id.h"

#include "gtest/gtest.h"
#include "providers/common/hostile_ids.h"
#include "vocabulary/error_details.h"

namespace providers {
namespace {

TEST(NativeIdTest, AcceptsTheProvidersRealFormats) {
  // From the providers' recorded replies and documentation (docs/providers/ids.md).
  EXPECT_TRUE(IsNativeId(NativeId::kMonato, "c2d1d1e3-3340-4170-980e-e9269bbbc551"));
  EXPECT_TRUE(IsNativeId(NativeId::kMonato, "C2D1D1E3-3340-4170-980E-E9269BBBC551"));
  EXPECT_TRUE(IsNativeId(NativeId::kFintocTransfer, "tr_329NGN1M4If6VvcMRALv4gjAQJx"));
  EXPECT_TRUE(IsNativeId(NativeId::kFintocTransfer, "tr_12334567"));
  EXPECT_TRUE(IsNativeId(NativeId::kFintocAccount, "acc_31yYL7h9LVPg121AgFtCyJPDsgM"));
  EXPECT_TRUE(IsNativeId(NativeId::kFintocAccountNumber, "acno_31yYL5uOb39vzvRIszPhoXYMjt4"));
  EXPECT_TRUE(IsNativeId(NativeId::kFintocAnyAccount, "acc_M8sKf230BgHjD4"));
  EXPECT_TRUE(IsNativeId(NativeId::kFintocAnyAccount, "acno_9"));
}

TEST(NativeIdTest, RefusesAnotherKindsId) {
  EXPECT_FALSE(IsNativeId(NativeId::kFintocTransfer, "acc_31yYL7h9LVPg121AgFtCyJPDsgM"));
  EXPECT_FALSE(IsNativeId(NativeId::kFintocAccount, "acno_31yYL5uOb39vzvRIszPhoXYMjt4"));
  EXPECT_FALSE(IsNativeId(NativeId::kFintocAccount, "tr_1"));
  EXPECT_FALSE(IsNativeId(NativeId::kFintocAnyAccount, "ent_1"));
  EXPECT_FALSE(IsNativeId(NativeId::kMonato, "tr_329NGN1M4If6VvcMRALv4gjAQJx"));
  EXPECT_FALSE(IsNativeId(NativeId::kFintocTransfer, "tr_"));
  EXPECT_FALSE(IsNativeId(NativeId::kMonato, "c2d1d1e3-3340-4170-980e-e9269bbbc55"));
  EXPECT_FALSE(IsNativeId(NativeId::kMonato, "c2d1d1e3-3340-4170-980e-e9269bbbc5511"));
  EXPECT_FALSE(IsNativeId(NativeId::kMonato, "c2d1d1e3x3340-4170-980e-e9269bbbc551"));
}

TEST(NativeIdTest, RefusesEveryHostileIdNamingTheField) {
  const std::pair<NativeId, std::string> kinds[] = {
      {NativeId::kMonato, "c2d1d1e3-3340-4170-980e-e9269bbbc551"},
      {NativeId::kFintocTransfer, "tr_329NGN1M4If6VvcMRALv4gjAQJx"},
      {NativeId::kFintocAccount, "acc_31yYL7h9LVPg121AgFtCyJPDsgM"},
      {NativeId::kFintocAccountNumber, "acno_31yYL5uOb39vzvRIszPhoXYMjt4"},
      {NativeId::kFintocAnyAccount, "acc_31yYL7h9LVPg121AgFtCyJPDsgM"}};
  for (const auto& [kind, valid] : kinds) {
    ASSERT_TRUE(CheckNativeId(kind, valid, "transaction_id").ok()) << valid;
    for (const std::string& hostile : HostileIds(valid)) {
      const absl::Status status = CheckNativeId(kind, hostile, "transaction_id");
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << hostile;
      const auto violations = gateway::FieldViolationsOf(status);
      ASSERT_EQ(violations.size(), 1u) << hostile;
      EXPECT_EQ(violations[0].field(), "transaction_id");
      // The hostile text is not echoed back.
      EXPECT_EQ(std::string(status.message()).find("\r"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace providers
