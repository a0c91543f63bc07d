#include "server/writer.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <set>

namespace crossrate::server {
namespace json = boost::json;

Writer::Writer(Store store, std::filesystem::path fixtures, Tokens tokens, std::shared_ptr<const Dataset> current,
               Publish publish)
    : store_(std::move(store)),
      fixtures_(std::move(fixtures)),
      tokens_(std::move(tokens)),
      current_(std::move(current)),
      publish_(std::move(publish)) {}

Result<Writer::Written> Writer::add_quotes(const std::string& author, const std::string& note, const json::value& body,
                                           std::vector<FieldProblem>& problems) {
    std::vector<const json::value*> items;
    if (body.is_array()) {
        for (const auto& v : body.as_array()) items.push_back(&v);
        if (items.empty()) problems.push_back({"", "expected at least one quote"});
    } else {
        items.push_back(&body);
    }
    std::lock_guard lock(mutex_);
    const auto last = store_.latest();
    if (!last) return last.error();
    const std::int64_t revision = last->number + 1;

    std::vector<StoredRecord> records;
    std::vector<std::string> ids;
    std::set<std::string> corrected;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string pointer = body.is_array() ? "/" + std::to_string(i) : "";
        auto quote = quote_from_json(*items[i], *current_, pointer, problems);
        if (!quote) continue;
        std::string supersedes;
        if (const auto* s = items[i]->as_object().if_contains("supersedes"); s != nullptr && s->is_string()) {
            supersedes = std::string(s->as_string());
            if (!corrected.insert(supersedes).second) {
                problems.push_back({pointer + "/supersedes", "corrects the same quote as an earlier record"});
                continue;
            }
        }
        // The id: what, where and when, then the revision that added it.
        std::string id = quote->item + "-" + std::string(to_string(quote->side)) + "-" + quote->observed.text() + "-r" +
                         std::to_string(revision);
        if (std::count(ids.begin(), ids.end(), id) > 0 ||
            std::any_of(ids.begin(), ids.end(), [&](const std::string& x) { return x.rfind(id + "-", 0) == 0; })) {
            id += "-" + std::to_string(i + 1);
        }
        json::object stored = items[i]->as_object();
        stored.erase("supersedes");
        records.push_back({revision, "quote", id, json::serialize(stored), supersedes});
        ids.push_back(id);
    }
    if (!problems.empty()) return Error(Errc::invalid_parameter, "the records do not check", "body");

    auto next = load_dataset(fixtures_, [&] {
        auto all = store_.records(last->number).value();
        all.insert(all.end(), records.begin(), records.end());
        return all;
    }());
    if (!next) return next.error();  // checked above; this would be a fault, and nothing is written
    auto committed = store_.append(author, note, records);
    if (!committed) return committed.error();
    current_ = *next;
    publish_(current_, static_cast<std::uint64_t>(committed->number));
    return Written{*committed, ids};
}

Result<std::vector<Revision>> Writer::revisions() const {
    std::lock_guard lock(mutex_);
    return store_.revisions();
}

}  // namespace crossrate::server
