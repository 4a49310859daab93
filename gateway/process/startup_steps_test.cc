#include "gateway/process/startup_steps.h"

#include <thread>

#include "gtest/gtest.h"

namespace gateway {
namespace {

TEST(StartupStepsTest, NoStepsIsDoneAtOnce) {
  StartupSteps steps;
  EXPECT_TRUE(steps.WaitAll(absl::ZeroDuration()).ok());
}

TEST(StartupStepsTest, WaitsForEveryStepAndReportsTheFirstFailureByName) {
  StartupSteps steps;
  auto first = steps.Begin("first");
  auto second = steps.Begin("second");
  EXPECT_EQ(steps.WaitAll(absl::Milliseconds(10)).code(), absl::StatusCode::kDeadlineExceeded);
  first(absl::OkStatus());
  EXPECT_EQ(steps.WaitAll(absl::Milliseconds(10)).code(), absl::StatusCode::kDeadlineExceeded);
  std::thread later([&] { second(absl::UnavailableError("refused")); });
  const absl::Status all = steps.WaitAll(absl::Seconds(30));
  later.join();
  EXPECT_EQ(all.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(all.message(), "second: refused");
}

TEST(StartupStepsTest, AStepMayFinishAfterTheStepsAreGone) {
  std::function<void(absl::Status)> done;
  {
    StartupSteps steps;
    done = steps.Begin("late");
  }
  done(absl::OkStatus());  // no crash: the state is shared with the callback
}

}  // namespace
}  // namespace gateway
