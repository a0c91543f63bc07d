#include "server/writer.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
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

namespace {

// FNV-1a, 64 bits: tells a retried request from a different one under the same key.
std::string fingerprint(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;
    }
    return std::to_string(h);
}

}  // namespace

Result<Writer::Written> Writer::add(Kind kind, const std::string& author, const std::string& note,
                                    std::string_view raw_body, const json::value& body, std::vector<FieldProblem>& problems,
                                    const std::string& idempotency_key, bool csv_rows) {
    // An object, an array of them, or (from CSV) rows by line number: pointers follow suit.
    std::vector<std::pair<std::string, const json::value*>> items;
    if (body.is_array()) {
        for (std::size_t i = 0; i < body.as_array().size(); ++i) items.emplace_back("/" + std::to_string(i), &body.as_array()[i]);
    } else if (csv_rows) {
        for (const auto& [line, v] : body.as_object()) items.emplace_back("/" + std::string(line), &v);
    } else {
        items.emplace_back("", &body);
    }
    if (items.empty() && problems.empty()) problems.push_back({"", "expected at least one record"});
    std::lock_guard lock(mutex_);
    const std::string request_hash = fingerprint(std::string(kind == Kind::source ? "source\n" : "quote\n") + std::string(raw_body));
    if (!idempotency_key.empty()) {
        auto kept = store_.find_idempotent(author, idempotency_key);
        if (!kept) return kept.error();
        if (*kept) {
            if ((*kept)->request_hash != request_hash) {
                return Error(Errc::conflict, "this Idempotency-Key was used for a different request", "Idempotency-Key");
            }
            return Written{(*kept)->response, true};
        }
    }
    const auto last = store_.latest();
    if (!last) return last.error();
    const std::int64_t revision = last->number + 1;

    std::vector<StoredRecord> records;
    std::vector<std::string> ids;
    std::set<std::string> corrected;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string& pointer = items[i].first;
        std::string id;
        std::string supersedes;
        if (kind == Kind::source) {
            auto source = source_from_json(*items[i].second, *current_, pointer, problems);
            if (!source) continue;
            const std::string publisher = slug(source->publisher);
            id = (publisher.empty() ? "source" : publisher) + "-" + (source->published ? source->published->text() : "undated");
        } else {
            auto quote = quote_from_json(*items[i].second, *current_, pointer, problems);
            if (!quote) continue;
            id = quote->item + "-" + std::string(to_string(quote->side)) + "-" + quote->observed.text();
            if (const auto* s = items[i].second->as_object().if_contains("supersedes"); s != nullptr && s->is_string()) {
                supersedes = std::string(s->as_string());
                if (!corrected.insert(supersedes).second) {
                    problems.push_back({pointer + "/supersedes", "corrects the same quote as an earlier record"});
                    continue;
                }
            }
        }
        id += "-r" + std::to_string(revision);
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) id += "-" + std::to_string(i + 1);
        json::object stored = items[i].second->as_object();
        stored.erase("supersedes");
        records.push_back({revision, kind == Kind::source ? "source" : "quote", id, json::serialize(stored), supersedes});
        ids.push_back(id);
    }
    if (!problems.empty()) return Error(Errc::invalid_parameter, "the records do not check", "body");

    auto next = load_dataset(fixtures_, [&] {
        auto all = store_.records(last->number).value();
        all.insert(all.end(), records.begin(), records.end());
        return all;
    }());
    if (!next) return next.error();  // checked above; this would be a fault, and nothing is written
    const auto respond = [&](const Revision& r) {
        json::object o;
        o["revision"] = r.number;
        o["created_at"] = r.created_at;
        o["author"] = r.author;
        json::array list;
        for (const auto& id : ids) list.emplace_back(id);
        o["ids"] = std::move(list);
        return json::serialize(o);
    };
    Store::Idempotency keep{idempotency_key, request_hash, {}, respond};
    auto committed = store_.append(author, note, records, idempotency_key.empty() ? nullptr : &keep);
    if (!committed) return committed.error();
    current_ = *next;
    publish_(current_, *committed, records);
    return Written{respond(*committed), false};
}

Result<std::shared_ptr<const Dataset>> Writer::dataset_at(std::int64_t revision) const {
    std::lock_guard lock(mutex_);
    for (const auto& [n, data] : past_) {
        if (n == revision) return data;
    }
    auto records = store_.records(revision);
    if (!records) return records.error();
    auto data = load_dataset(fixtures_, *records);
    if (!data) return data.error();
    past_.emplace_back(revision, *data);
    if (past_.size() > 4) past_.erase(past_.begin());
    return *data;
}

Result<std::vector<StoredRecord>> Writer::records_of(std::int64_t revision) const {
    std::lock_guard lock(mutex_);
    auto all = store_.records(revision);
    if (!all) return all.error();
    std::erase_if(*all, [revision](const StoredRecord& r) { return r.revision != revision; });
    return all;
}

Result<std::vector<Revision>> Writer::revisions() const {
    std::lock_guard lock(mutex_);
    return store_.revisions();
}

}  // namespace crossrate::server
