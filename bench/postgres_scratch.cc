#include "bench/postgres_scratch.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace bench {

std::string BenchPostgresUrl(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* env = std::getenv("GATEWAY_TEST_POSTGRES_URL");
  return env == nullptr ? "" : env;
}

ScratchSchema::ScratchSchema(std::string url, std::string name)
    : redactor_(url), name_(std::move(name)) {}

absl::StatusOr<std::unique_ptr<ScratchSchema>> ScratchSchema::Create(const std::string& url) {
  absl::BitGen random;
  std::unique_ptr<ScratchSchema> scratch(
      new ScratchSchema(url, absl::StrFormat("bench_%016x", absl::Uniform<uint64_t>(random))));
  auto admin = idempotency::PgConnection::Connect({url, ""}, &scratch->redactor_);
  if (!admin.ok()) return admin.status();
  scratch->admin_ = *std::move(admin);
  return scratch;
}

ScratchSchema::~ScratchSchema() {
  const std::string drop = absl::StrCat("DROP SCHEMA ", admin_->QuoteIdentifier(name_), " CASCADE");
  if (absl::Status dropped = admin_->ExecScript(drop.c_str()); !dropped.ok()) {
    std::fprintf(stderr, "postgres: %s\n", dropped.ToString().c_str());
  }
}

}  // namespace bench
