#include "providers/stp/stp_signer.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "providers/stp/stp_original_string.h"

namespace providers::stp {
namespace {

constexpr char kKey[] = "providers/stp/testdata/test_only_stp_key.pem";
constexpr char kPublicKey[] = "providers/stp/testdata/test_only_stp_key.pub.pem";
constexpr char kRotatedKey[] = "providers/stp/testdata/test_only_stp_rotated_key.pem";
constexpr char kRotatedPublicKey[] = "providers/stp/testdata/test_only_stp_rotated_key.pub.pem";
constexpr char kPassphrase[] = "stp-test-only";

// The recorded stpmex-python order (docs/providers/stp.md#cadena-original).
constexpr char kCadena[] =
    "||40072|TAMIZI|||CR1609257595|90646|1.20|1|40||646180110400000007||40|Ricardo "
    "Sanchez|072691004495711499|ND||||||Prueba||||||5273144||T||3|0|||";
// Made once with `openssl dgst -sha256 -sign test_only_stp_key.pem | base64 -w0`.
constexpr char kGoldenFirma[] =
    "F+bjlKnKlUM/zwrjFYt3qB+Hg4Iu7bYjGXadG/2yfoD3a+KI6u4f8ZPzTduN/bH36pEXa/0P0E0O/zS4TlrY/"
    "ya68NSd00Rsffd/Prbj3c68wYJZjiIo8HEYsDjUPyw1As8kkKOLfUIHkmKfbOZmw66Aqmc9U04nCpcgj7UJ6Xrcud"
    "NJqzc5F+x1hjSnVdCM08CzwN4rufQ1Zk/Y6I2JXCU3hbYOnXcjXHD8nnJM06sJJMTTvGuRZ8hz/H+pkQTJYmNfEPFo"
    "q6OgLaVFxJgM++gqfu2Igc48EFxMUZaE2+/iayz+wxK346rf7yipB2bvuKiMhnV0lI0bPz2cgOuoxw==";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

std::string TempPath(absl::string_view name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

// Runs a shell command; its exit status and standard output.
std::pair<int, std::string> RunCommand(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, ""};
  std::string out;
  char buffer[512];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  const int status = pclose(pipe);
  return {status, out};
}

std::unique_ptr<StpSigner> SignerFor(const std::string& path, const std::string& passphrase) {
  StpSignerOptions options;
  options.private_key_path = path;
  options.passphrase = passphrase;
  auto signer = StpSigner::Create(std::move(options));
  EXPECT_TRUE(signer.ok()) << signer.status();
  return signer.ok() ? *std::move(signer) : nullptr;
}

TEST(StpSignerTest, SignsTheFixedOrderWithTheGoldenFirma) {
  auto signer = SignerFor(kKey, kPassphrase);
  ASSERT_NE(signer, nullptr);
  auto firma = signer->Sign(kCadena);
  ASSERT_TRUE(firma.ok()) << firma.status();
  EXPECT_EQ(*firma, kGoldenFirma);
  // PKCS#1 v1.5 is deterministic: the same text signs the same, every time.
  EXPECT_EQ(*signer->Sign(kCadena), *firma);
  EXPECT_NE(*signer->Sign("||other||"), *firma);
}

TEST(StpSignerTest, TheIndependentOpensslCommandVerifiesAndReproducesTheFirma) {
  auto signer = SignerFor(kKey, kPassphrase);
  ASSERT_NE(signer, nullptr);
  auto firma = signer->Sign(kCadena);
  ASSERT_TRUE(firma.ok());
  std::string raw;
  ASSERT_TRUE(absl::Base64Unescape(*firma, &raw));
  const std::string data = TempPath("cadena.txt");
  const std::string signature = TempPath("firma.bin");
  WriteFile(data, kCadena);
  WriteFile(signature, raw);

  auto verified = RunCommand(absl::StrCat("openssl dgst -sha256 -verify ", kPublicKey,
                                          " -signature ", signature, " ", data, " 2>&1"));
  EXPECT_EQ(verified.first, 0) << verified.second;
  EXPECT_NE(verified.second.find("Verified OK"), std::string::npos) << verified.second;

  // openssl signs the same bytes to the same firma.
  auto signed_by_openssl = RunCommand(
      absl::StrCat("openssl dgst -sha256 -sign ", kKey, " -passin pass:", kPassphrase, " ", data));
  ASSERT_EQ(signed_by_openssl.first, 0);
  EXPECT_EQ(absl::Base64Escape(signed_by_openssl.second), *firma);

  // And refuses it for a changed cadena.
  WriteFile(data, absl::StrCat(kCadena, "x"));
  auto refused = RunCommand(absl::StrCat("openssl dgst -sha256 -verify ", kPublicKey,
                                         " -signature ", signature, " ", data, " 2>&1"));
  EXPECT_NE(refused.first, 0) << refused.second;
}

TEST(StpSignerTest, VerifyFirmaChecksTextKeyAndEncoding) {
  const std::string public_key = ReadFile(kPublicKey);
  EXPECT_TRUE(VerifyFirma(public_key, kCadena, kGoldenFirma).ok());
  EXPECT_EQ(VerifyFirma(public_key, absl::StrCat(kCadena, "|"), kGoldenFirma).code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyFirma(ReadFile(kRotatedPublicKey), kCadena, kGoldenFirma).code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyFirma(public_key, kCadena, "not base64 !!").code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyFirma(public_key, kCadena, "").code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(VerifyFirma("garbage", kCadena, kGoldenFirma).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(StpSignerTest, InMemoryPemSignsTheSame) {
  StpSignerOptions options;
  options.private_key_pem = ReadFile(kKey);
  options.passphrase = kPassphrase;
  auto signer = StpSigner::Create(std::move(options));
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_EQ(*(*signer)->Sign(kCadena), kGoldenFirma);
}

TEST(StpSignerTest, LoadErrorsAreClearAndNeverShowTheKeyOrPassphrase) {
  {
    auto signer = StpSigner::Create(StpSignerOptions{});
    EXPECT_EQ(signer.status().code(), absl::StatusCode::kFailedPrecondition);
  }
  {
    StpSignerOptions both;
    both.private_key_path = kKey;
    both.private_key_pem = "x";
    EXPECT_EQ(StpSigner::Create(std::move(both)).status().code(),
              absl::StatusCode::kFailedPrecondition);
  }
  {
    StpSignerOptions missing;
    missing.private_key_path = "providers/stp/testdata/no_such_key.pem";
    auto signer = StpSigner::Create(std::move(missing));
    EXPECT_EQ(signer.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(signer.status().message().find("no_such_key.pem"), std::string::npos);
  }
  for (const std::string& passphrase : {std::string("wrong-passphrase"), std::string()}) {
    StpSignerOptions wrong;
    wrong.private_key_path = kKey;
    wrong.passphrase = passphrase;
    auto signer = StpSigner::Create(std::move(wrong));
    ASSERT_EQ(signer.status().code(), absl::StatusCode::kFailedPrecondition);
    const std::string message(signer.status().message());
    EXPECT_NE(message.find("passphrase"), std::string::npos) << message;
    if (!passphrase.empty()) {
      EXPECT_EQ(message.find(passphrase), std::string::npos);
    }
    EXPECT_EQ(message.find("MII"), std::string::npos) << message;  // no PEM body
  }
  {
    StpSignerOptions not_private;
    not_private.private_key_path = kPublicKey;
    EXPECT_EQ(StpSigner::Create(std::move(not_private)).status().code(),
              absl::StatusCode::kFailedPrecondition);
  }
}

TEST(StpSignerTest, ARotatedKeyFileReplacesTheKeyAndABadOneKeepsTheOld) {
  const std::string path = TempPath("rotating_key.pem");
  WriteFile(path, ReadFile(kKey));
  absl::Mutex mu;
  absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  StpSignerOptions options;
  options.private_key_path = path;
  options.passphrase = kPassphrase;
  options.clock = [&] {
    absl::MutexLock lock(&mu);
    return now;
  };
  int reloads = 0;
  absl::Status last_reload;
  options.on_reload = [&](const absl::Status& status) {
    ++reloads;
    last_reload = status;
  };
  auto created = StpSigner::Create(std::move(options));
  ASSERT_TRUE(created.ok()) << created.status();
  StpSigner& signer = **created;
  EXPECT_EQ(*signer.Sign(kCadena), kGoldenFirma);

  // The secret is swapped as a new file (new inode), as Kubernetes does.
  const std::string staged = TempPath("rotating_key.pem.new");
  WriteFile(staged, ReadFile(kRotatedKey));
  ASSERT_EQ(std::rename(staged.c_str(), path.c_str()), 0);
  // Not yet checked: the old key still signs.
  EXPECT_EQ(*signer.Sign(kCadena), kGoldenFirma);
  {
    absl::MutexLock lock(&mu);
    now += absl::Seconds(2);
  }
  auto rotated = signer.Sign(kCadena);
  ASSERT_TRUE(rotated.ok());
  EXPECT_TRUE(VerifyFirma(ReadFile(kRotatedPublicKey), kCadena, *rotated).ok());
  EXPECT_EQ(signer.key_loads(), 2);
  EXPECT_EQ(reloads, 1);
  EXPECT_TRUE(last_reload.ok());

  // A broken file is refused; the rotated key keeps signing.
  WriteFile(staged, "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
  ASSERT_EQ(std::rename(staged.c_str(), path.c_str()), 0);
  {
    absl::MutexLock lock(&mu);
    now += absl::Seconds(2);
  }
  auto still = signer.Sign(kCadena);
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(*still, *rotated);
  EXPECT_EQ(signer.key_status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reloads, 2);
  EXPECT_EQ(signer.key_loads(), 2);
}

TEST(StpSignerTest, ThreadsSigningDuringARotationAlwaysGetAValidFirma) {
  const std::string path = TempPath("concurrent_key.pem");
  WriteFile(path, ReadFile(kKey));
  StpSignerOptions options;
  options.private_key_path = path;
  options.passphrase = kPassphrase;
  options.reload_check_interval = absl::ZeroDuration();  // every Sign() may check the file
  auto created = StpSigner::Create(std::move(options));
  ASSERT_TRUE(created.ok()) << created.status();
  StpSigner& signer = **created;
  const std::string old_public = ReadFile(kPublicKey);
  const std::string new_public = ReadFile(kRotatedPublicKey);

  std::vector<std::thread> threads;
  std::vector<int> bad(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string text = absl::StrCat(kCadena, t, ":", i);
        auto firma = signer.Sign(text);
        if (!firma.ok() || (!VerifyFirma(old_public, text, *firma).ok() &&
                            !VerifyFirma(new_public, text, *firma).ok())) {
          ++bad[t];
        }
      }
    });
  }
  const std::string staged = TempPath("concurrent_key.pem.new");
  WriteFile(staged, ReadFile(kRotatedKey));
  ASSERT_EQ(std::rename(staged.c_str(), path.c_str()), 0);
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(bad[t], 0) << "thread " << t;
  // After the rotation settles, only the new key signs.
  auto after = signer.Sign(kCadena);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(VerifyFirma(new_public, kCadena, *after).ok());
  EXPECT_EQ(signer.key_loads(), 2);
}

}  // namespace
}  // namespace providers::stp
