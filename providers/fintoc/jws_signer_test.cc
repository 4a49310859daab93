// The Fintoc JWS signer against the vectors of docs/providers/fintoc.md#test-vectors and an
// independent OpenSSL verifier: exact bytes, fresh nonces, key rotation, concurrency.
#include "providers/fintoc/jws_signer.h"

#include <atomic>
#include <cstring>
#include <fstream>
#include <set>
#include <thread>
#include <vector>

#include <sys/stat.h>

#include <boost/json/serialize.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "providers/common/json_fields.h"
#include "providers/fintoc/testing/jws_test_util.h"

namespace providers::fintoc {
namespace {

using jws_testing::GenerateRsaKeyPair;
using jws_testing::kVectorBody;
using jws_testing::kVectorPrivateKeyPem;
using jws_testing::kVectorPublicKeyPem;
using jws_testing::ProtectedHeaderOf;
using jws_testing::ReplaceFile;
using jws_testing::VerifyDetachedJws;

constexpr int64_t kVectorTs = 1756828731;

std::string KeyFile(const std::string& name, const std::string& pem) {
  const std::string dir = absl::StrCat(jws_testing::TestTempDir(), "/jws_signer_test");
  mkdir(dir.c_str(), 0700);
  const std::string path = absl::StrCat(dir, "/", name);
  ReplaceFile(path, pem);
  return path;
}

std::array<unsigned char, 16> VectorNonce() {
  std::array<unsigned char, 16> bytes;
  for (int i = 0; i < 16; ++i) bytes[i] = static_cast<unsigned char>(i * 0x11);
  return bytes;  // 00112233445566778899aabbccddeeff
}

// A clock tests move by hand, readable from any thread.
class TestClock {
 public:
  explicit TestClock(int64_t unix_seconds) : seconds_(unix_seconds) {}
  Clock AsClock() {
    return [this] { return absl::FromUnixSeconds(seconds_.load()); };
  }
  void Advance(int64_t seconds) { seconds_ += seconds; }
  int64_t now() const { return seconds_.load(); }

 private:
  std::atomic<int64_t> seconds_;
};

std::unique_ptr<JwsSigner> VectorSigner(const std::string& path, TestClock* clock) {
  JwsSignerOptions options;
  options.private_key_path = path;
  options.clock = clock->AsClock();
  options.nonce_source = [] { return VectorNonce(); };
  auto signer = JwsSigner::Create(std::move(options));
  EXPECT_TRUE(signer.ok()) << signer.status();
  return signer.ok() ? *std::move(signer) : nullptr;
}

TEST(JwsSignerTest, ReproducesVectorBByteForByte) {
  TestClock clock(kVectorTs);
  auto signer = VectorSigner(KeyFile("vector_b.pem", kVectorPrivateKeyPem), &clock);
  ASSERT_NE(signer, nullptr);
  ASSERT_EQ(std::strlen(kVectorBody), 180u);
  auto header = signer->Sign(kVectorBody);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(*header, jws_testing::kVectorBSignatureHeader);
  std::string protected_json;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(header->substr(0, header->find('.')), &protected_json));
  EXPECT_EQ(protected_json,
            R"({"alg":"RS256","nonce":"00112233445566778899aabbccddeeff","ts":1756828731,)"
            R"("crit":["ts","nonce"]})");
  EXPECT_TRUE(VerifyDetachedJws(kVectorPublicKeyPem, *header, kVectorBody).ok());
}

TEST(JwsSignerTest, ReproducesVectorAFromItsSpacedHeader) {
  TestClock clock(kVectorTs);
  auto signer = VectorSigner(KeyFile("vector_a.pem", kVectorPrivateKeyPem), &clock);
  ASSERT_NE(signer, nullptr);
  auto header =
      signer->SignWithProtectedHeaderForTesting(jws_testing::kVectorAProtectedHeader, kVectorBody);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(*header, jws_testing::kVectorASignatureHeader);
  EXPECT_TRUE(VerifyDetachedJws(kVectorPublicKeyPem, *header, kVectorBody).ok());
}

TEST(JwsSignerTest, FreshSignaturesVerifyAndCarryExactlyTheFourMembers) {
  JwsSignerOptions options;
  options.private_key_path = KeyFile("fresh.pem", kVectorPrivateKeyPem);
  auto signer = JwsSigner::Create(std::move(options));
  ASSERT_TRUE(signer.ok()) << signer.status();
  const int64_t before = absl::ToUnixSeconds(absl::Now());
  auto header = (*signer)->Sign(kVectorBody);
  const int64_t after = absl::ToUnixSeconds(absl::Now());
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_TRUE(VerifyDetachedJws(kVectorPublicKeyPem, *header, kVectorBody).ok());

  auto protected_header = ProtectedHeaderOf(*header);
  ASSERT_TRUE(protected_header.ok());
  EXPECT_EQ(protected_header->size(), 4u);  // no kid, typ or rid
  EXPECT_EQ(StringOr(*protected_header, "alg"), "RS256");
  const int64_t ts = OptionalInt(*protected_header, "ts").value_or(0);
  EXPECT_GE(ts, before);
  EXPECT_LE(ts, after);
  EXPECT_EQ(boost::json::serialize((*protected_header)["crit"]), R"(["ts","nonce"])");
  EXPECT_EQ(StringOr(*protected_header, "nonce").size(), 32u);
}

bool IsLowerHex32(const std::string& text) {
  if (text.size() != 32) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

TEST(JwsSignerTest, NoncesAreUniqueLowercaseHexOver10000Signatures) {
  JwsSignerOptions options;
  options.private_key_path = KeyFile("nonces.pem", kVectorPrivateKeyPem);
  auto signer = JwsSigner::Create(std::move(options));
  ASSERT_TRUE(signer.ok()) << signer.status();
  std::set<std::string> nonces;
  std::set<std::string> signatures;
  for (int i = 0; i < 10000; ++i) {
    auto header = (*signer)->Sign(kVectorBody);
    ASSERT_TRUE(header.ok()) << header.status();
    auto protected_header = ProtectedHeaderOf(*header);
    ASSERT_TRUE(protected_header.ok());
    const std::string nonce = StringOr(*protected_header, "nonce");
    ASSERT_TRUE(IsLowerHex32(nonce)) << nonce;
    nonces.insert(nonce);
    signatures.insert(*header);
    if (i % 1000 == 0) {
      ASSERT_TRUE(VerifyDetachedJws(kVectorPublicKeyPem, *header, kVectorBody).ok()) << i;
    }
  }
  EXPECT_EQ(nonces.size(), 10000u);
  EXPECT_EQ(signatures.size(), 10000u);
}

TEST(JwsSignerTest, SignsTheExactBytesOnly) {
  TestClock clock(kVectorTs);
  auto signer = VectorSigner(KeyFile("exact.pem", kVectorPrivateKeyPem), &clock);
  ASSERT_NE(signer, nullptr);
  const std::string body = kVectorBody;
  auto header = signer->Sign(body);
  ASSERT_TRUE(header.ok());
  ASSERT_TRUE(VerifyDetachedJws(kVectorPublicKeyPem, *header, body).ok());

  EXPECT_FALSE(VerifyDetachedJws(kVectorPublicKeyPem, *header, body + " ").ok());
  for (size_t i : {size_t{0}, size_t{10}, body.size() / 2, body.size() - 1}) {
    std::string changed = body;
    changed[i] ^= 0x01;
    EXPECT_FALSE(VerifyDetachedJws(kVectorPublicKeyPem, *header, changed).ok()) << i;
  }
  // The same JSON re-serialized with a space is other bytes, so another signature.
  std::string spaced = body;
  spaced.insert(spaced.find(':') + 1, " ");
  EXPECT_FALSE(VerifyDetachedJws(kVectorPublicKeyPem, *header, spaced).ok());

  // A changed ts in the protected header breaks the signature too.
  const std::string tampered_header = absl::WebSafeBase64Escape(
      CompactProtectedHeader("00112233445566778899aabbccddeeff", kVectorTs + 1));
  const std::string tampered = absl::StrCat(tampered_header, header->substr(header->find('.')));
  EXPECT_FALSE(VerifyDetachedJws(kVectorPublicKeyPem, tampered, body).ok());
}

TEST(JwsSignerTest, ReloadsTheKeyWhenTheFileIsReplacedAtMostOncePerInterval) {
  TestClock clock(kVectorTs);
  const std::string path = KeyFile("rotating.pem", kVectorPrivateKeyPem);
  std::vector<absl::Status> reloads;
  JwsSignerOptions options;
  options.private_key_path = path;
  options.clock = clock.AsClock();
  options.on_reload = [&reloads](const absl::Status& status) { reloads.push_back(status); };
  auto created = JwsSigner::Create(std::move(options));
  ASSERT_TRUE(created.ok()) << created.status();
  JwsSigner& signer = **created;

  auto before = signer.Sign(kVectorBody);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(VerifyDetachedJws(kVectorPublicKeyPem, *before, kVectorBody).ok());

  const jws_testing::RsaKeyPairPem rotated = GenerateRsaKeyPair();
  ReplaceFile(path, rotated.private_pem);
  // Within the check interval the file is not looked at again.
  auto same_second = signer.Sign(kVectorBody);
  ASSERT_TRUE(same_second.ok());
  EXPECT_TRUE(VerifyDetachedJws(kVectorPublicKeyPem, *same_second, kVectorBody).ok());
  EXPECT_EQ(signer.key_loads(), 1);

  clock.Advance(2);
  auto after = signer.Sign(kVectorBody);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(VerifyDetachedJws(rotated.public_pem, *after, kVectorBody).ok());
  EXPECT_FALSE(VerifyDetachedJws(kVectorPublicKeyPem, *after, kVectorBody).ok());
  EXPECT_EQ(signer.key_loads(), 2);
  ASSERT_EQ(reloads.size(), 1u);
  EXPECT_TRUE(reloads[0].ok());

  // An unchanged file is not read again.
  clock.Advance(2);
  ASSERT_TRUE(signer.Sign(kVectorBody).ok());
  EXPECT_EQ(signer.key_loads(), 2);
  EXPECT_EQ(reloads.size(), 1u);
}

TEST(JwsSignerTest, ABadReplacementKeepsTheOldKeyAndSaysWhy) {
  TestClock clock(kVectorTs);
  const std::string path = KeyFile("broken.pem", kVectorPrivateKeyPem);
  JwsSignerOptions options;
  options.private_key_path = path;
  options.clock = clock.AsClock();
  auto created = JwsSigner::Create(std::move(options));
  ASSERT_TRUE(created.ok()) << created.status();
  JwsSigner& signer = **created;

  const std::string secret_looking = "-----BEGIN PRIVATE KEY-----\nSECRETBYTESnotbase64!!\n";
  ReplaceFile(path, secret_looking);
  clock.Advance(2);
  auto header = signer.Sign(kVectorBody);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_TRUE(VerifyDetachedJws(kVectorPublicKeyPem, *header, kVectorBody).ok());
  EXPECT_EQ(signer.key_status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(signer.key_status().message().find(path), std::string::npos);
  EXPECT_EQ(signer.key_status().message().find("SECRETBYTES"), std::string::npos);

  // A removed file keeps the old key as well.
  std::remove(path.c_str());
  clock.Advance(2);
  ASSERT_TRUE(signer.Sign(kVectorBody).ok());
  EXPECT_FALSE(signer.key_status().ok());

  const jws_testing::RsaKeyPairPem fixed = GenerateRsaKeyPair();
  ReplaceFile(path, fixed.private_pem);
  clock.Advance(2);
  auto recovered = signer.Sign(kVectorBody);
  ASSERT_TRUE(recovered.ok());
  EXPECT_TRUE(VerifyDetachedJws(fixed.public_pem, *recovered, kVectorBody).ok());
  EXPECT_TRUE(signer.key_status().ok());
}

TEST(JwsSignerTest, RefusesToStartWithoutAUsableKey) {
  JwsSignerOptions missing;
  missing.private_key_path = absl::StrCat(jws_testing::TestTempDir(), "/no/such/key.pem");
  EXPECT_EQ(JwsSigner::Create(missing).status().code(), absl::StatusCode::kFailedPrecondition);

  JwsSignerOptions garbage;
  garbage.private_key_path = KeyFile("garbage.pem", "not a key at all");
  EXPECT_EQ(JwsSigner::Create(garbage).status().code(), absl::StatusCode::kFailedPrecondition);

  JwsSignerOptions public_only;
  public_only.private_key_path = KeyFile("public.pem", kVectorPublicKeyPem);
  EXPECT_EQ(JwsSigner::Create(public_only).status().code(), absl::StatusCode::kFailedPrecondition);

  JwsSignerOptions small;
  small.private_key_path = KeyFile("small.pem", GenerateRsaKeyPair(1024).private_pem);
  auto refused = JwsSigner::Create(small);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("1024 bits"), std::string::npos);

  EXPECT_FALSE(JwsSigner::Create(JwsSignerOptions{}).ok());
}

TEST(JwsSignerTest, SignsConcurrentlyWhileTheKeyRotates) {
  TestClock clock(kVectorTs);
  const std::string path = KeyFile("concurrent.pem", kVectorPrivateKeyPem);
  JwsSignerOptions options;
  options.private_key_path = path;
  options.clock = clock.AsClock();
  options.reload_check_interval = absl::ZeroDuration();  // check on every call
  auto created = JwsSigner::Create(std::move(options));
  ASSERT_TRUE(created.ok()) << created.status();
  JwsSigner& signer = **created;
  const jws_testing::RsaKeyPairPem rotated = GenerateRsaKeyPair();

  constexpr int kThreads = 4;
  constexpr int kPerThread = 150;
  absl::Mutex mu;
  std::set<std::string> nonces;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string body = absl::StrCat(R"({"thread":)", t, R"(,"i":)", i, "}");
        auto header = signer.Sign(body);
        if (!header.ok()) {
          ++failures;
          continue;
        }
        const bool old_key = VerifyDetachedJws(kVectorPublicKeyPem, *header, body).ok();
        const bool new_key = VerifyDetachedJws(rotated.public_pem, *header, body).ok();
        if (old_key == new_key) ++failures;  // exactly one of the two keys must verify it
        auto protected_header = ProtectedHeaderOf(*header);
        absl::MutexLock lock(&mu);
        nonces.insert(StringOr(*protected_header, "nonce"));
      }
    });
  }
  ReplaceFile(path, rotated.private_pem);
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(signer.Sign("{}").ok());  // at the latest this call sees the new file

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(nonces.size(), static_cast<size_t>(kThreads * kPerThread));
  auto last = signer.Sign("{}");
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(VerifyDetachedJws(rotated.public_pem, *last, "{}").ok());
  EXPECT_EQ(signer.key_loads(), 2);
}

}  // namespace
}  // namespace providers::fintoc
