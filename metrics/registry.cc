#include "metrics/registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace metrics {
namespace {

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
std::string Escape(const std::string& text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Seconds(absl::Duration d) {
  // Exact decimal from integer microseconds (no binary rounding in the text).
  const int64_t micros = absl::ToInt64Microseconds(d);
  return absl::StrFormat("%d.%06d", micros / 1'000'000, micros % 1'000'000);
}

}  // namespace

std::string Family::LabelText(const LabelValues& values, const std::string& extra) const {
  if (label_names_.empty() && extra.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < label_names_.size() && i < values.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ",", label_names_[i], "=\"", Escape(values[i], true), "\"");
  }
  if (!extra.empty()) absl::StrAppend(&out, label_names_.empty() ? "" : ",", extra);
  out += "}";
  return out;
}

void Family::RenderHeader(const char* type, std::string* out) const {
  absl::StrAppend(out, "# HELP ", name_, " ", Escape(help_, false), "\n# TYPE ", name_, " ", type,
                  "\n");
}

void ValueFamily::AddValue(const LabelValues& labels, int64_t delta) {
  absl::MutexLock lock(&mu_);
  values_[labels] += delta;
}

void ValueFamily::SetValue(const LabelValues& labels, int64_t value) {
  absl::MutexLock lock(&mu_);
  values_[labels] = value;
}

int64_t ValueFamily::Value(const LabelValues& labels) const {
  absl::MutexLock lock(&mu_);
  auto it = values_.find(labels);
  return it == values_.end() ? 0 : it->second;
}

void ValueFamily::Render(std::string* out) const {
  RenderHeader(type_, out);
  absl::MutexLock lock(&mu_);
  for (const auto& [labels, value] : values_) {
    absl::StrAppend(out, name_, LabelText(labels), " ", value, "\n");
  }
}

Histogram::Histogram(std::string name, std::string help, std::vector<std::string> label_names,
                     std::vector<absl::Duration> bounds)
    : Family(std::move(name), std::move(help), std::move(label_names)),
      bounds_(std::move(bounds)) {}

void Histogram::Observe(const LabelValues& labels, absl::Duration value) {
  size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  absl::MutexLock lock(&mu_);
  Series& series = series_[labels];
  if (series.buckets.empty()) series.buckets.assign(bounds_.size() + 1, 0);
  ++series.buckets[bucket];
  ++series.count;
  series.sum_micros += absl::ToInt64Microseconds(value);
}

int64_t Histogram::Count(const LabelValues& labels) const {
  absl::MutexLock lock(&mu_);
  auto it = series_.find(labels);
  return it == series_.end() ? 0 : it->second.count;
}

void Histogram::Render(std::string* out) const {
  RenderHeader("histogram", out);
  absl::MutexLock lock(&mu_);
  for (const auto& [labels, series] : series_) {
    int64_t cumulative = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
      cumulative += series.buckets[i];
      const std::string le =
          i < bounds_.size() ? absl::StrCat("le=\"", Seconds(bounds_[i]), "\"") : "le=\"+Inf\"";
      absl::StrAppend(out, name_, "_bucket", LabelText(labels, le), " ", cumulative, "\n");
    }
    absl::StrAppend(out, name_, "_sum", LabelText(labels), " ",
                    Seconds(absl::Microseconds(series.sum_micros)), "\n");
    absl::StrAppend(out, name_, "_count", LabelText(labels), " ", series.count, "\n");
  }
}

Counter* Registry::AddCounter(std::string name, std::string help, std::vector<std::string> labels) {
  return Keep(std::make_unique<Counter>(std::move(name), std::move(help), std::move(labels)));
}

Gauge* Registry::AddGauge(std::string name, std::string help, std::vector<std::string> labels) {
  return Keep(std::make_unique<Gauge>(std::move(name), std::move(help), std::move(labels)));
}

Histogram* Registry::AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> labels,
                                  std::vector<absl::Duration> bounds) {
  return Keep(std::make_unique<Histogram>(std::move(name), std::move(help), std::move(labels),
                                          std::move(bounds)));
}

std::string Registry::RenderText() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& family : families_) family->Render(&out);
  return out;
}

std::vector<absl::Duration> LatencyBuckets() {
  return {absl::Milliseconds(5),   absl::Milliseconds(10),  absl::Milliseconds(25),
          absl::Milliseconds(50),  absl::Milliseconds(100), absl::Milliseconds(250),
          absl::Milliseconds(500), absl::Seconds(1),        absl::Seconds(2.5),
          absl::Seconds(5),        absl::Seconds(10),       absl::Seconds(30)};
}

}  // namespace metrics
