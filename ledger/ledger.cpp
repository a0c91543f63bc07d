#include "ledger/ledger.hpp"

#include "pricing/apply.hpp"
#include "pricing/digest.hpp"
#include "pricing/fingerprint.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <variant>

namespace crossrate {
namespace json = boost::json;

Ledger::Ledger(std::unique_ptr<Store> store, std::shared_ptr<const Dataset> current, std::vector<Revision> revisions,
               Publish publish)
    : store_(std::move(store)), current_(std::move(current)), revisions_(std::move(revisions)), publish_(std::move(publish)) {}

namespace {

// Tells a retried request from a different one under the same key: "sha256:...". Keys kept
// before SHA-256 hold FNV-1a's decimal value, which a retry is compared with as it was kept.
std::string fingerprint(std::string_view text) { return sha256_tagged(text); }
bool same_request(const std::string& kept, std::string_view text) {
    if (kept.starts_with("sha256:")) return kept == sha256_tagged(text);
    return kept == std::to_string(Fingerprint().add(text).value());
}

}  // namespace

std::string_view Ledger::kind_name(Kind kind) noexcept {
    switch (kind) {
        case Kind::quote: return "quote";
        case Kind::source: return "source";
        case Kind::rate: return "rate";
    }
    return "quote";
}

bool Ledger::probe() {
    if (writable_.load()) return true;
    std::unique_lock lock(write_mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return false;  // a write is under way: it will tell
    std::lock_guard store(store_mutex_);
    const auto now = std::chrono::steady_clock::now();
    const auto last = std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(last_probe_.load()));
    if (now - last < std::chrono::seconds(1)) return false;  // at most one try a second
    last_probe_.store(now.time_since_epoch().count());
    if (auto r = store_->probe(); !r) {
        set_fault(r.error().what());
        return false;
    }
    set_fault({});
    writable_.store(true);
    return true;
}

void Ledger::lost_store(std::string why) {
    set_fault(std::move(why));
    writable_.store(false);
}

void Ledger::set_fault(std::string what) {
    std::lock_guard lock(fault_mutex_);
    fault_ = std::move(what);
}

std::string Ledger::fault() const {
    std::lock_guard lock(fault_mutex_);
    return fault_;
}

// A write checked against one snapshot. Ids wait for the revision number, which only the
// commit knows: each record keeps its id's stem, and a quote or rate that brings its own
// source points at that source's record.
struct Ledger::Draft {
    struct Record {
        Kind kind;
        std::variant<Source, Quote, RateReport> parsed;
        std::string stem;  // "goat-origin-2023-05": the id less "-r<revision>"
        std::string body;  // as stored; for a record citing a new source, written when it has an id
        std::optional<boost::json::object> cites_new_source;
        std::string supersedes;
        std::optional<std::size_t> source;  // the record of the new source it cites
        bool posted = true;                 // false: a source brought along
    };
    std::vector<Record> records;
    RevisionNumber checked_at = 0;  // the revision of the snapshot it was checked against
};

namespace {

// What cites a source this write adds, until the source has its id: no existing id has spaces.
std::string provisional_source_id(std::size_t record) { return "(new source " + std::to_string(record) + ")"; }

// The records of a request, checked against `data`; problems go to `problems`.
Ledger::Draft check(Ledger::Kind kind, const Ledger::Records& records, const Dataset& data,
                    std::vector<FieldProblem>& problems) {
    using Kind = Ledger::Kind;
    Ledger::Draft draft;
    draft.checked_at = data.revision;
    std::vector<Source> added;                          // sources brought along, which later records may cite
    std::map<std::string, std::size_t> inline_sources;  // a source's JSON -> its record: sent twice, added once
    std::set<std::string> corrected;
    const auto source_stem = [](const Source& s) {
        const std::string publisher = slug(s.publisher);
        return (publisher.empty() ? "source" : publisher) + "-" + (s.published ? s.published->text() : "undated");
    };
    std::size_t count = 0;
    records([&](const std::string& pointer, const json::value& value) {
        ++count;
        const json::value* item = &value;
        // The record as it will be stored (its source's id filled in, supersedes apart), and
        // what is checked, without a second copy.
        json::value stored_value = item->is_object() ? json::value(item->as_object()) : json::value(json::object());
        json::object& stored = stored_value.as_object();
        // A quote or rate may bring its new source along: {"source": {...its fields, no id}}.
        bool source_failed = false;
        std::optional<std::size_t> source_record;
        if (kind != Kind::source && item->is_object()) {
            const json::value* inline_source = item->as_object().if_contains("source");
            if (inline_source != nullptr && inline_source->is_object() && !inline_source->as_object().contains("id")) {
                const std::string text = json::serialize(*inline_source);
                if (const auto seen = inline_sources.find(text); seen != inline_sources.end()) {
                    source_record = seen->second;
                } else if (auto source = source_from_json(*inline_source, data, pointer + "/source", problems)) {
                    source_record = draft.records.size();
                    source->id = provisional_source_id(*source_record);
                    const std::string stem = source_stem(*source);
                    added.push_back(*source);
                    draft.records.push_back({Kind::source, std::move(*source), stem, text, {}, {}, {}, false});
                    inline_sources.emplace(text, *source_record);
                } else {
                    source_failed = true;
                }
                if (source_record) stored["source"] = provisional_source_id(*source_record);
            }
        }
        const std::size_t before = problems.size();
        std::string supersedes;
        if (const auto* s = stored.if_contains("supersedes"); s != nullptr && s->is_string()) supersedes = s->as_string();
        if (!supersedes.empty() && !corrected.insert(supersedes).second) {
            problems.push_back({pointer + "/supersedes", "corrects the same record as an earlier one"});
        }
        const json::value& checked = item->is_object() ? stored_value : *item;
        std::optional<Ledger::Draft::Record> record;
        if (kind == Kind::source) {
            if (auto source = source_from_json(checked, data, pointer, problems)) {
                const std::string stem = source_stem(*source);
                record = {kind, std::move(*source), stem, {}, {}, {}, {}, true};
            }
        } else if (kind == Kind::quote) {
            if (auto quote = quote_from_json(checked, data, pointer, problems, added)) {
                const std::string stem = quote->item + "-" + std::string(quote->side ? to_string(*quote->side) : quote->kind) +
                                         "-" + quote->observed.text();
                record = {kind, std::move(*quote), stem, {}, {}, {}, {}, true};
            }
        } else if (auto rate = rate_from_json(checked, data, pointer, problems, added)) {
            const std::string stem = rate_report_id(*rate);
            record = {kind, std::move(*rate), stem, {}, {}, {}, {}, true};
        }
        // The source's own problems are listed; "expected an id" for it would say nothing more.
        if (source_failed) {
            const auto from = problems.begin() + static_cast<std::ptrdiff_t>(before);
            problems.erase(std::remove_if(from, problems.end(),
                                          [&](const FieldProblem& p) { return p.pointer == pointer + "/source"; }),
                           problems.end());
        }
        if (!record || !problems.empty()) return;
        stored.erase("supersedes");
        if (source_record) record->cites_new_source = std::move(stored); else record->body = json::serialize(stored);
        record->supersedes = supersedes;
        record->source = source_record;
        draft.records.push_back(std::move(*record));
    });
    if (count == 0 && problems.empty()) problems.push_back({"", "expected at least one record"});
    return draft;
}

// The draft's records given their ids at `revision`: what the store keeps, and what apply() takes.
struct Minted {
    std::vector<StoredRecord> stored;
    std::vector<Change> changes;
    std::vector<std::string> ids;         // of the records posted, in order
    std::vector<std::string> source_ids;  // of the sources they brought along
};

Minted mint(Ledger::Draft draft, std::int64_t revision) {
    // Ids end in this revision's suffix, so they can only collide within this write: the
    // ids given so far, and per stem the next "-n" to try (rows sharing a stem cost O(1) each).
    const std::string suffix = "-r" + std::to_string(revision);
    std::unordered_set<std::string> taken;
    std::unordered_map<std::string, int> next_n;
    const auto unique_id = [&](const std::string& stem) {
        std::string id = stem + suffix;
        if (taken.insert(id).second) return id;
        for (int& n = next_n.try_emplace(stem, 2).first->second;; ++n) {
            id = stem + suffix + "-" + std::to_string(n);
            if (taken.insert(id).second) return id;
        }
    };
    Minted out;
    std::vector<std::string> ids(draft.records.size());
    for (std::size_t i = 0; i < draft.records.size(); ++i) {
        auto& r = draft.records[i];
        ids[i] = unique_id(r.stem);
        std::visit([&](auto& parsed) { parsed.id = ids[i]; }, r.parsed);
        if (r.source) {
            (*r.cites_new_source)["source"] = ids[*r.source];
            r.body = json::serialize(*r.cites_new_source);
            if (auto* q = std::get_if<Quote>(&r.parsed)) q->source = ids[*r.source];
            if (auto* rate = std::get_if<RateReport>(&r.parsed)) rate->source = ids[*r.source];
        }
        (r.posted ? out.ids : out.source_ids).push_back(ids[i]);
        out.stored.push_back({revision, std::string(Ledger::kind_name(r.kind)), ids[i], std::move(r.body), r.supersedes});
        out.changes.push_back({std::move(r.parsed), std::move(r.supersedes)});
    }
    return out;
}

std::string response_of(const Revision& r, const Minted& minted) {
    json::object o;
    o["revision"] = r.number;
    o["created_at"] = r.created_at;
    o["author"] = r.author;
    json::array list;
    for (const auto& id : minted.ids) list.emplace_back(id);
    o["ids"] = std::move(list);
    json::array sources;
    for (const auto& id : minted.source_ids) sources.emplace_back(id);
    o["sources_added"] = std::move(sources);
    return json::serialize(o);
}

}  // namespace

std::shared_ptr<const Dataset> Ledger::current() const {
    std::lock_guard lock(current_mutex_);
    return current_;
}

Result<std::optional<Ledger::Written>> Ledger::replay(const std::string& author, const std::string& key,
                                                      std::string_view request) const {
    if (key.empty()) return std::optional<Written>();
    std::lock_guard lock(store_mutex_);
    auto kept = store_->find_idempotent(author, key);
    if (!kept) return kept.error();
    if (!*kept) return std::optional<Written>();
    if (!same_request((*kept)->request_hash, request)) {
        return Error(Errc::conflict, "this Idempotency-Key was used for a different request", "Idempotency-Key");
    }
    return std::optional<Written>(Written{(*kept)->response, true});
}

Ledger::Records Ledger::json_records(const json::value& body) {
    return [&body](const Visit& visit) {
        if (!body.is_array()) return visit("", body);
        for (std::size_t i = 0; i < body.as_array().size(); ++i) visit("/" + std::to_string(i), body.as_array()[i]);
    };
}

Result<Ledger::Written> Ledger::add(Kind kind, const std::string& author, const std::string& note,
                                    std::string_view raw_body, const Records& records, std::vector<FieldProblem>& problems,
                                    const std::string& idempotency_key) {
    const std::string request = std::string(kind_name(kind)) + "\n" + std::string(raw_body);
    const std::string request_hash = fingerprint(request);
    // A retry is answered before anything is checked.
    auto first = replay(author, idempotency_key, request);
    if (!first) return storage_failed(first.error());
    if (*first) return std::move(**first);
    // Checked against the snapshot being served, with no lock held: the slow part of a write.
    auto snapshot = current();
    Draft draft = check(kind, records, *snapshot, problems);
    if (!problems.empty()) return Error(Errc::invalid_parameter, "the records do not check", "body");

    // Another process sharing the log (a replica, crossrate import) may take the number first:
    // then catch up, check again against what it wrote, and try the next number.
    constexpr int attempts = 8;
    for (int attempt = 1;; ++attempt) {
        std::lock_guard lock(write_mutex_);
        if (auto caught_up = catch_up(); !caught_up) return storage_failed(caught_up.error());
        if (attempt > 1 || current()->revision != draft.checked_at) {
            snapshot = current();
            draft = check(kind, records, *snapshot, problems);
            if (!problems.empty()) return Error(Errc::invalid_parameter, "the records do not check", "body");
            // ...and a retry of this request may have been the one that landed.
            first = replay(author, idempotency_key, request);
            if (!first) return storage_failed(first.error());
            if (*first) return std::move(**first);
        }
        auto written = commit(author, note, std::move(draft), idempotency_key, request_hash);
        if (written || written.error().code() != Errc::stale_revision || attempt == attempts) return written;
    }
}

Result<std::int64_t> Ledger::follow() {
    std::lock_guard lock(write_mutex_);
    if (auto caught_up = catch_up(); !caught_up) return storage_failed(caught_up.error());
    return known();
}

bool Ledger::wait_for(std::int64_t revision, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(revisions_mutex_);
    return applied_.wait_for(lock, timeout, [&] { return !revisions_.empty() && revisions_.back().number >= revision; });
}

Error Ledger::storage_failed(Error e) {
    if (e.code() == Errc::storage) {
        set_fault(e.what());
        last_probe_.store(std::chrono::steady_clock::now().time_since_epoch().count());
        writable_.store(false);
    }
    return e;
}

Result<void> Ledger::catch_up() {
    Result<std::vector<Revision>> after = [&] {
        std::lock_guard lock(store_mutex_);
        return store_->revisions_after(known());
    }();
    if (!after) return after.error();
    for (const Revision& r : *after) {
        if (r.number != known() + 1) {
            return Error(Errc::internal, "the log skips from revision " + std::to_string(known()) + " to " + std::to_string(r.number));
        }
        Result<std::vector<StoredRecord>> records = [&] {
            std::lock_guard lock(store_mutex_);
            return store_->records_of(r.number);
        }();
        if (!records) return records.error();
        auto snapshot = current();
        if (!records->empty()) {
            auto next = apply_revision(*snapshot, static_cast<RevisionNumber>(r.number), *records);
            if (!next) return next.error();
            snapshot = *next;
        }
        serve(std::move(snapshot), r, *records);
    }
    return {};
}

void Ledger::serve(std::shared_ptr<const Dataset> snapshot, const Revision& revision,
                   const std::vector<StoredRecord>& records) {
    {
        std::lock_guard lock(current_mutex_);
        current_ = snapshot;
    }
    publish_(snapshot, revision, records);
    {
        std::lock_guard lock(revisions_mutex_);
        revisions_.push_back(revision);
    }
    applied_.notify_all();
}

Result<Ledger::Written> Ledger::commit(const std::string& author, const std::string& note, Draft draft,
                                       const std::string& idempotency_key, const std::string& request_hash) {
    const auto snapshot = current();
    const std::int64_t number = known() + 1;
    Minted minted = mint(std::move(draft), number);
    // The next snapshot first: a revision the model cannot take is never committed.
    auto next = apply(*snapshot, static_cast<RevisionNumber>(number), minted.changes);
    if (!next) return next.error();  // checked above; this would be a fault, and nothing is written
    Store::Idempotency keep{idempotency_key, request_hash, {}, [&](const Revision& r) { return response_of(r, minted); }};
    Result<Revision> committed = [&] {
        std::lock_guard lock(store_mutex_);
        return store_->append(number, author, note, minted.stored, idempotency_key.empty() ? nullptr : &keep);
    }();
    if (!committed) return storage_failed(committed.error());
    if (committed->number != number) {
        return Error(Errc::internal, "the log gave revision " + std::to_string(committed->number) + ", expected " +
                                         std::to_string(number));
    }
    writable_.store(true);
    serve(*next, *committed, minted.stored);
    malloc_trim(0);
    return Written{response_of(*committed, minted), false};
}

Result<std::vector<StoredRecord>> Ledger::records_of(std::int64_t revision) const {
    std::lock_guard lock(store_mutex_);
    return store_->records_of(revision);
}

std::int64_t Ledger::known() const {
    std::lock_guard lock(revisions_mutex_);
    return revisions_.empty() ? 1 : revisions_.back().number;
}

std::vector<Revision> Ledger::revisions() const {
    std::lock_guard lock(revisions_mutex_);
    return revisions_;
}

}  // namespace crossrate
