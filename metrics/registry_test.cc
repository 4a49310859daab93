#include "metrics/registry.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrics {
namespace {

using testing::HasSubstr;
using testing::Not;

TEST(RegistryTest, CountersRenderWithHelpTypeAndEscapedLabels) {
  Registry registry;
  Counter* counter = registry.AddCounter("requests_total", "Requests.\nAll of them.", {"path"});
  counter->Increment({"/a"});
  counter->Increment({"/a"}, 2);
  counter->Increment({"say \"hi\"\\"});
  EXPECT_EQ(counter->Value({"/a"}), 3);
  EXPECT_EQ(counter->Value({"/never"}), 0);
  const std::string text = registry.RenderText();
  EXPECT_THAT(text, HasSubstr("# HELP requests_total Requests.\\nAll of them.\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("requests_total{path=\"/a\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("requests_total{path=\"say \\\"hi\\\"\\\\\"} 1\n"));
}

TEST(RegistryTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry registry;
  Histogram* histogram = registry.AddHistogram("latency_seconds", "Latency.", {"op"},
                                               {absl::Milliseconds(10), absl::Seconds(1)});
  histogram->Observe({"x"}, absl::Milliseconds(5));
  histogram->Observe({"x"}, absl::Milliseconds(10));  // on the bound: le is inclusive
  histogram->Observe({"x"}, absl::Milliseconds(500));
  histogram->Observe({"x"}, absl::Seconds(3));
  EXPECT_EQ(histogram->Count({"x"}), 4);
  const std::string text = registry.RenderText();
  EXPECT_THAT(text, HasSubstr("latency_seconds_bucket{op=\"x\",le=\"0.010000\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("latency_seconds_bucket{op=\"x\",le=\"1.000000\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("latency_seconds_bucket{op=\"x\",le=\"+Inf\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("latency_seconds_sum{op=\"x\"} 3.515000\n"));
  EXPECT_THAT(text, HasSubstr("latency_seconds_count{op=\"x\"} 4\n"));
}

TEST(RegistryTest, GaugesGoUpAndDownAndUnlabelledSeriesHaveNoBraces) {
  Registry registry;
  Gauge* gauge = registry.AddGauge("open_connections", "Open.", {});
  gauge->Add({}, 3);
  gauge->Add({}, -1);
  EXPECT_EQ(gauge->Value({}), 2);
  const std::string text = registry.RenderText();
  EXPECT_THAT(text, HasSubstr("open_connections 2\n"));
  EXPECT_THAT(text, Not(HasSubstr("open_connections{")));
}

TEST(RegistryTest, ConcurrentIncrementsAreAllCounted) {
  Registry registry;
  Counter* counter = registry.AddCounter("hits_total", "Hits.", {"k"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([counter] {
      for (int i = 0; i < 10000; ++i) counter->Increment({"k"});
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter->Value({"k"}), 40000);
}

}  // namespace
}  // namespace metrics
