// One page of a list that spans providers (ListAccounts, ListCounterparties, a provider's
// banks), filled up to page_size: providers in the order given (the registry's), each in its
// own order, moving on to the next provider when one runs out. The page token says where the
// next page starts (page_token.h): a provider page that did not fit whole is asked for again
// with the same size and cursor and the items already shown are skipped, so a cursor that is a
// page number (Monato) stays right whatever page sizes the caller uses.
//
// Items a `keep` predicate refuses (the caller may not see them) are skipped and the page keeps
// filling from the next ones. A call asks providers at most kMaxProviderReadsPerPage times,
// then answers what it found with a token, so a caller who may see little cannot make one call
// walk every account. A provider error answers the error when the page is still empty; else the
// page ends there and its token resumes at the failing read, which reports the error again.
#ifndef GATEWAY_CORE_PROVIDER_PAGES_H_
#define GATEWAY_CORE_PROVIDER_PAGES_H_

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/core/page_token.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "providers/provider.h"
#include "vocabulary/error_details.h"

namespace gateway {

inline constexpr int kMaxProviderReadsPerPage = 20;

template <typename Response, typename Item>
class ProviderPages : public std::enable_shared_from_this<ProviderPages<Response, Item>> {
 public:
  using Lister = std::function<void(providers::Provider*, const providers::PageQuery&,
                                    providers::Callback<Response>)>;
  using ItemsOf = std::function<google::protobuf::RepeatedPtrField<Item>*(Response&)>;
  using Keep = std::function<bool(const Item&)>;  // null: every item is shown

  // `scope`: the providers the list covers, in order; `page_size` >= 1 (providers are asked for
  // at most kMaxProviderPageSize at a time).
  static void List(std::vector<providers::Provider*> scope, const std::string& page_token,
                   int page_size, Lister list, ItemsOf items, Keep keep,
                   providers::Callback<Response> done) {
    if (scope.empty()) return done(Response());
    PagePosition position{scope.front()->id(), "", 0, 0};
    if (!page_token.empty()) {
      auto decoded = DecodePageToken(page_token);
      if (!decoded.ok()) return done(decoded.status());
      position = *std::move(decoded);
    }
    auto here = std::find_if(scope.begin(), scope.end(),
                             [&](providers::Provider* p) { return p->id() == position.provider; });
    if (here == scope.end()) {
      return done(InvalidField("page_token", "belongs to a list with other filters"));
    }
    const size_t index = static_cast<size_t>(here - scope.begin());
    std::shared_ptr<ProviderPages> pages(
        new ProviderPages(std::move(scope), index, std::move(position), page_size, std::move(list),
                          std::move(items), std::move(keep), std::move(done)));
    pages->Read();
  }

 private:
  ProviderPages(std::vector<providers::Provider*> scope, size_t here, PagePosition position,
                int page_size, Lister list, ItemsOf items, Keep keep,
                providers::Callback<Response> done)
      : scope_(std::move(scope)),
        here_(here),
        position_(std::move(position)),
        page_size_(page_size),
        list_(std::move(list)),
        items_(std::move(items)),
        keep_(std::move(keep)),
        done_(std::move(done)) {}

  int Shown() { return items_(page_)->size(); }

  void Read() {
    if (reads_ == kMaxProviderReadsPerPage) return Finish(/*more=*/true);
    ++reads_;
    // A cursor belongs to the size it was read with; a provider's first page may take any (a
    // bank page may be larger than a provider page: it is read in several).
    if (position_.read_size == 0) {
      position_.read_size = std::min(page_size_ - Shown(), kMaxProviderPageSize);
    }
    list_(scope_[here_], providers::PageQuery{position_.read_size, position_.provider_token},
          [self = this->shared_from_this()](absl::StatusOr<Response> read) {
            self->Take(std::move(read));
          });
  }

  void Take(absl::StatusOr<Response> read) {
    if (!read.ok()) {
      if (Shown() == 0) return done_(read.status());
      return Finish(/*more=*/true);
    }
    google::protobuf::RepeatedPtrField<Item>* got = items_(*read);
    for (int i = position_.skip; i < got->size(); ++i) {
      if (Shown() == page_size_) {
        position_.skip = i;
        return Finish(/*more=*/true);
      }
      if (!keep_ || keep_(got->Get(i))) *items_(page_)->Add() = std::move(*got->Mutable(i));
    }
    // This provider page is used up: its next page, or the next provider's first.
    if (!read->next_page_token().empty()) {
      position_.provider_token = read->next_page_token();
      position_.skip = 0;
    } else if (here_ + 1 < scope_.size()) {
      ++here_;
      position_ = PagePosition{scope_[here_]->id(), "", 0, 0};
    } else {
      return Finish(/*more=*/false);
    }
    if (Shown() == page_size_) return Finish(/*more=*/true);
    Read();
  }

  void Finish(bool more) {
    if (more) page_.set_next_page_token(EncodePageToken(position_));
    done_(std::move(page_));
  }

  const std::vector<providers::Provider*> scope_;
  size_t here_;
  PagePosition position_;
  const int page_size_;
  const Lister list_;
  const ItemsOf items_;
  const Keep keep_;
  providers::Callback<Response> done_;
  Response page_;
  int reads_ = 0;
};

}  // namespace gateway

#endif  // GATEWAY_CORE_PROVIDER_PAGES_H_
