// Prometheus metrics: counters, gauges and histograms with labels, kept in a registry that
// renders the text exposition format (version 0.0.4) for an admin endpoint to serve.
//
// Families are created once (at start) and live as long as the registry; recording is a
// mutex-guarded map update, cheap next to the provider calls and store writes it counts.
#ifndef METRICS_REGISTRY_H_
#define METRICS_REGISTRY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace metrics {

using LabelValues = std::vector<std::string>;

class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}
  virtual ~Family() = default;
  const std::string& name() const { return name_; }
  // Appends the # HELP / # TYPE lines and every series.
  virtual void Render(std::string* out) const = 0;

 protected:
  // `{a="x",b="y"}` (with `extra` appended, e.g. le="0.5"), or "" without labels.
  std::string LabelText(const LabelValues& values, const std::string& extra = "") const;
  void RenderHeader(const char* type, std::string* out) const;

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
};

// One integer per label set: what counters and gauges both are; they differ in the
// operations they offer and the TYPE they render.
class ValueFamily : public Family {
 public:
  int64_t Value(const LabelValues& labels) const;

 protected:
  ValueFamily(std::string name, std::string help, std::vector<std::string> label_names,
              const char* type)
      : Family(std::move(name), std::move(help), std::move(label_names)), type_(type) {}
  void AddValue(const LabelValues& labels, int64_t delta);
  void SetValue(const LabelValues& labels, int64_t value);
  void Render(std::string* out) const override;

 private:
  const char* const type_;  // "counter" | "gauge"
  mutable absl::Mutex mu_;
  std::map<LabelValues, int64_t> values_ ABSL_GUARDED_BY(mu_);
};

// A monotonically increasing count (a Prometheus counter; the name ends in _total).
class Counter : public ValueFamily {
 public:
  Counter(std::string name, std::string help, std::vector<std::string> label_names)
      : ValueFamily(std::move(name), std::move(help), std::move(label_names), "counter") {}
  void Increment(const LabelValues& labels, int64_t by = 1) { AddValue(labels, by); }
  // For a total counted elsewhere (a client's own statistics), copied in before a scrape.
  void SetTotal(const LabelValues& labels, int64_t total) { SetValue(labels, total); }
};

// A value that goes up and down (open connections).
class Gauge : public ValueFamily {
 public:
  Gauge(std::string name, std::string help, std::vector<std::string> label_names)
      : ValueFamily(std::move(name), std::move(help), std::move(label_names), "gauge") {}
  void Add(const LabelValues& labels, int64_t delta) { AddValue(labels, delta); }
  void Set(const LabelValues& labels, int64_t value) { SetValue(labels, value); }
};

// Durations in cumulative buckets, rendered in seconds (the Prometheus base unit).
class Histogram : public Family {
 public:
  Histogram(std::string name, std::string help, std::vector<std::string> label_names,
            std::vector<absl::Duration> bounds);
  void Observe(const LabelValues& labels, absl::Duration value);
  int64_t Count(const LabelValues& labels) const;
  void Render(std::string* out) const override;

 private:
  struct Series {
    std::vector<int64_t> buckets;  // per bound, not cumulative; the last is +Inf
    int64_t count = 0;
    int64_t sum_micros = 0;
  };
  const std::vector<absl::Duration> bounds_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, Series> series_ ABSL_GUARDED_BY(mu_);
};

class Registry {
 public:
  Counter* AddCounter(std::string name, std::string help, std::vector<std::string> labels);
  Gauge* AddGauge(std::string name, std::string help, std::vector<std::string> labels);
  Histogram* AddHistogram(std::string name, std::string help, std::vector<std::string> labels,
                          std::vector<absl::Duration> bounds);
  // The whole registry in the text exposition format.
  std::string RenderText() const;

 private:
  // Keeps `family` for rendering; the pointer stays valid as long as the registry.
  template <typename F>
  F* Keep(std::unique_ptr<F> family) {
    F* raw = family.get();
    absl::MutexLock lock(&mu_);
    families_.push_back(std::move(family));
    return raw;
  }

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Family>> families_ ABSL_GUARDED_BY(mu_);
};

// Latency buckets for RPCs and provider calls: 5 ms to 30 s.
std::vector<absl::Duration> LatencyBuckets();

}  // namespace metrics

#endif  // METRICS_REGISTRY_H_
