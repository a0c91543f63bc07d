#include "server/writer.hpp"

#include "pricing/fingerprint.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

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

// Tells a retried request from a different one under the same key (decimal, as stored).
std::string fingerprint(std::string_view text) { return std::to_string(Fingerprint().add(text).value()); }

}  // namespace

std::string_view Writer::kind_name(Kind kind) noexcept {
    switch (kind) {
        case Kind::quote: return "quote";
        case Kind::source: return "source";
        case Kind::rate: return "rate";
    }
    return "quote";
}

bool Writer::probe() {
    if (writable_.load()) return true;
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return false;  // a write is under way: it will tell
    const auto now = std::chrono::steady_clock::now();
    if (now - last_probe_ < std::chrono::seconds(1)) return false;  // at most one try a second
    last_probe_ = now;
    if (auto r = store_.probe(); !r) {
        set_fault(r.error().what());
        return false;
    }
    set_fault({});
    writable_.store(true);
    return true;
}

void Writer::set_fault(std::string what) {
    std::lock_guard lock(fault_mutex_);
    fault_ = std::move(what);
}

std::string Writer::fault() const {
    std::lock_guard lock(fault_mutex_);
    return fault_;
}

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
    const std::string request_hash = fingerprint(std::string(kind_name(kind)) + "\n" + std::string(raw_body));
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
    std::vector<std::string> ids;          // of the records posted, in order
    std::vector<std::string> source_ids;   // of the sources they brought along
    std::vector<Source> added;             // those sources, which later records may cite
    std::map<std::string, std::string> inline_sources;  // a source's JSON -> its id: sent twice, added once
    std::set<std::string> corrected;
    std::set<std::string> rate_dates;  // kind, pair, place and date of each rate: one a date
    const std::string suffix = "-r" + std::to_string(revision);
    // Ids end in this revision's suffix, so they can only collide within this write: the
    // ids given so far, and per base the next "-n" to try (rows sharing a base cost O(1) each,
    // not a scan of every record for every n).
    std::unordered_set<std::string> taken;
    std::unordered_map<std::string, int> next_n;
    const auto unique_id = [&](const std::string& base) {
        std::string id = base + suffix;
        if (taken.insert(id).second) return id;
        for (int& n = next_n.try_emplace(base, 2).first->second;; ++n) {
            id = base + suffix + "-" + std::to_string(n);
            if (taken.insert(id).second) return id;
        }
    };
    const auto source_id = [&](const Source& s) {
        const std::string publisher = slug(s.publisher);
        return unique_id((publisher.empty() ? "source" : publisher) + "-" + (s.published ? s.published->text() : "undated"));
    };
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string& pointer = items[i].first;
        const json::value& item = *items[i].second;
        json::object stored = item.is_object() ? item.as_object() : json::object();
        // A quote or rate may bring its new source along: {"source": {...its fields, no id}}.
        bool source_failed = false;
        if (kind != Kind::source && item.is_object()) {
            const json::value* inline_source = item.as_object().if_contains("source");
            if (inline_source != nullptr && inline_source->is_object() && !inline_source->as_object().contains("id")) {
                const std::string text = json::serialize(*inline_source);
                if (const auto seen = inline_sources.find(text); seen != inline_sources.end()) {
                    stored["source"] = seen->second;
                } else if (auto source = source_from_json(*inline_source, *current_, pointer + "/source", problems)) {
                    source->id = source_id(*source);
                    records.push_back({revision, "source", source->id, text, {}});
                    source_ids.push_back(source->id);
                    inline_sources.emplace(text, source->id);
                    stored["source"] = source->id;
                    added.push_back(std::move(*source));
                } else {
                    source_failed = true;
                }
            }
        }
        const std::size_t before = problems.size();
        std::string id;
        std::string supersedes;
        if (const auto* s = stored.if_contains("supersedes"); s != nullptr && s->is_string()) supersedes = s->as_string();
        if (!supersedes.empty() && !corrected.insert(supersedes).second) {
            problems.push_back({pointer + "/supersedes", "corrects the same record as an earlier one"});
        }
        const json::value& checked = item.is_object() ? json::value(stored) : item;
        if (kind == Kind::source) {
            if (auto source = source_from_json(checked, *current_, pointer, problems)) id = source_id(*source);
        } else if (kind == Kind::quote) {
            if (auto quote = quote_from_json(checked, *current_, pointer, problems, added)) {
                id = unique_id(quote->item + "-" + std::string(to_string(quote->side)) + "-" + quote->observed.text());
            }
        } else if (auto rate = rate_from_json(checked, *current_, pointer, problems, added)) {
            const std::string base_id = rate_report_id(*rate);
            if (!rate_dates.insert(base_id).second) {
                problems.push_back({pointer + "/date", "an earlier record of this request has a rate on this date"});
            }
            id = unique_id(base_id);
        }
        // The source's own problems are listed; "expected an id" for it would say nothing more.
        if (source_failed) {
            const auto from = problems.begin() + static_cast<std::ptrdiff_t>(before);
            problems.erase(std::remove_if(from, problems.end(),
                                          [&](const FieldProblem& p) { return p.pointer == pointer + "/source"; }),
                           problems.end());
        }
        if (id.empty() || !problems.empty()) continue;
        stored.erase("supersedes");
        records.push_back({revision, std::string(kind_name(kind)), id, json::serialize(stored), supersedes});
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
        json::array sources;
        for (const auto& id : source_ids) sources.emplace_back(id);
        o["sources_added"] = std::move(sources);
        return json::serialize(o);
    };
    Store::Idempotency keep{idempotency_key, request_hash, {}, respond};
    auto committed = store_.append(author, note, records, idempotency_key.empty() ? nullptr : &keep);
    if (!committed) {
        if (committed.error().code() == Errc::storage) {
            set_fault(committed.error().what());
            last_probe_ = std::chrono::steady_clock::now();
            writable_.store(false);
        }
        return committed.error();
    }
    writable_.store(true);
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
