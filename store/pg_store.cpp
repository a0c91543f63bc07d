#include "store/pg_store.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <date/date.h>

namespace crossrate {
struct PgResult {
    PGresult* r = nullptr;
    PgResult() = default;
    explicit PgResult(PGresult* res) : r(res) {}
    PgResult(PgResult&& o) noexcept : r(std::exchange(o.r, nullptr)) {}
    PgResult& operator=(PgResult&& o) noexcept {
        if (this != &o) {
            PQclear(r);
            r = std::exchange(o.r, nullptr);
        }
        return *this;
    }
    ~PgResult() { PQclear(r); }
    int rows() const { return PQntuples(r); }
    std::string text(int row, int col) const { return std::string(PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col))); }
    bool null(int row, int col) const { return PQgetisnull(r, row, col) != 0; }
    std::string sqlstate() const {
        const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        return s ? s : "";
    }
};

namespace {

// Advisory lock keys: migrations (a session lock, held while one replica migrates) and writes
// (a transaction lock: the next revision number is read and taken under it).
constexpr const char* migration_lock = "7207001";
constexpr const char* write_lock = "7207002";

// What a client may be told: never the URI (it may hold a password).
Error unreachable(std::string_view what) {
    // libpq's messages run over several lines ("FATAL: ...\n\tThis probably means..."): one line.
    std::string text;
    for (const char c : what) {
        const char one = (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
        if (one == ' ' && (text.empty() || text.back() == ' ')) continue;
        text.push_back(one);
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return Error(Errc::storage, "the revision log (PostgreSQL) cannot be used: " + text);
}


// One statement with text parameters; an error names what the server said.
Result<PgResult> run(PGconn* conn, const std::string& sql, const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p.c_str());
    PgResult res(PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
    const auto status = PQresultStatus(res.r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        if (res.sqlstate() == "23505") return Error(Errc::conflict, PQerrorMessage(conn));
        return unreachable(PQerrorMessage(conn));
    }
    return res;
}

void rollback(PGconn* conn) { PgResult(PQexec(conn, "ROLLBACK")); }

std::string now_utc() {
    return date::format("%FT%TZ", date::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

// The same logical schema as SQLite's (store/sqlite_store.cpp), in PostgreSQL's types.
constexpr const char* migrations[] = {
    // 1: the revision log; the fixtures are revision 1.
    "CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);"
    "CREATE TABLE revisions (number bigint PRIMARY KEY, created_at text NOT NULL, author text NOT NULL,"
    " note text NOT NULL, content_hash text NOT NULL);",
    // 2: the records each write adds, append-only.
    "CREATE TABLE records (seq bigserial PRIMARY KEY, revision bigint NOT NULL REFERENCES revisions(number),"
    " kind text NOT NULL, id text NOT NULL, body text NOT NULL, supersedes text NOT NULL DEFAULT '');"
    "CREATE INDEX records_by_revision ON records (revision);",
    // 3: answers kept for Idempotency-Key retries, by writer and key.
    "CREATE TABLE idempotency (author text NOT NULL, key text NOT NULL, request_hash text NOT NULL,"
    " response text NOT NULL, revision bigint NOT NULL REFERENCES revisions(number), PRIMARY KEY (author, key));",
};
static_assert(std::size(migrations) == Store::schema_version);

Result<std::vector<Revision>> revision_rows(Result<PgResult> res) {
    if (!res) return res.error();
    std::vector<Revision> out;
    out.reserve(static_cast<std::size_t>(res->rows()));
    for (int i = 0; i < res->rows(); ++i) {
        out.push_back({std::stoll(res->text(i, 0)), res->text(i, 1), res->text(i, 2), res->text(i, 3), res->text(i, 4)});
    }
    return out;
}

Result<std::vector<StoredRecord>> record_rows(Result<PgResult> res) {
    if (!res) return res.error();
    std::vector<StoredRecord> out;
    out.reserve(static_cast<std::size_t>(res->rows()));
    for (int i = 0; i < res->rows(); ++i) {
        out.push_back({std::stoll(res->text(i, 0)), res->text(i, 1), res->text(i, 2), res->text(i, 3), res->text(i, 4)});
    }
    return out;
}

}  // namespace

std::string PgStore::redact(std::string_view uri) {
    // postgresql://user:secret@host/db -> postgresql://user@host/db
    const auto scheme = uri.find("://");
    if (scheme == std::string_view::npos) return "postgresql";
    const auto start = scheme + 3;
    const auto at = uri.find('@', start);
    const auto slash = uri.find('/', start);
    if (at == std::string_view::npos || (slash != std::string_view::npos && at > slash)) return std::string(uri.substr(0, uri.find('?')));
    const auto colon = uri.find(':', start);
    std::string out(uri.substr(0, (colon != std::string_view::npos && colon < at) ? colon : at));
    out += uri.substr(at, uri.find('?', at) - at);
    return out;
}

PgStore::Parameters::Parameters(const std::string& uri)
    // Earlier keywords are overridden by the URI's own: a timeout the operator sets wins.
    // Keepalives and a user timeout: a connection that died silently (a failover, a dropped
    // route) is noticed in seconds, not after the kernel's two hours.
    : pairs_{{"connect_timeout", "3"},     {"application_name", "crossrate"}, {"keepalives", "1"},
             {"keepalives_idle", "10"},    {"keepalives_interval", "5"},       {"keepalives_count", "3"},
             {"tcp_user_timeout", "15000"}, {"dbname", uri}} {
    for (const auto& [k, v] : pairs_) {
        keys_.push_back(k.c_str());
        values_.push_back(v.c_str());
    }
    keys_.push_back(nullptr);
    values_.push_back(nullptr);
}

std::string PgStore::describe() const { return "postgresql " + redact(uri_); }

Result<PgResult> PgStore::first(const std::string& sql, const std::vector<std::string>& params) const {
    if (auto c = connect(); !c) return c.error();
    auto res = run(conn_, sql, params);
    // A connection the server dropped (a restart, a failover) still looks open until used:
    // nothing of this operation was done yet, so it is tried once more on a new one.
    if (!res && PQstatus(conn_) == CONNECTION_BAD) {
        if (auto c = connect(); !c) return c.error();
        res = run(conn_, sql, params);
    }
    return res;
}

Result<void> PgStore::connect() const {
    if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) return {};
    if (conn_ != nullptr) {
        PQfinish(conn_);
        conn_ = nullptr;
    }
    const Parameters params(uri_);
    conn_ = PQconnectdbParams(params.keys(), params.values(), 1);
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
        const std::string why = conn_ ? PQerrorMessage(conn_) : "out of memory";
        if (conn_ != nullptr) PQfinish(conn_);
        conn_ = nullptr;
        return unreachable(why);
    }
    return {};
}

PgStore::~PgStore() {
    if (conn_ != nullptr) PQfinish(conn_);
}

Result<std::unique_ptr<PgStore>> PgStore::open(const std::string& uri, const std::string& fixtures_hash) {
    std::unique_ptr<PgStore> store(new PgStore(uri));
    const auto at_start = [&](const Error& e) {
        return Error(Errc::data_error, store->describe() + ": " + e.what(), "store");
    };
    if (auto c = store->connect(); !c) return at_start(c.error());
    PGconn* conn = store->conn_;
    // One replica migrates at a time; the others wait here, then find the schema current.
    if (auto lock = run(conn, std::string("SELECT pg_advisory_lock(") + migration_lock + ")"); !lock) return at_start(lock.error());
    const auto unlock = [&] { PgResult(PQexec(conn, (std::string("SELECT pg_advisory_unlock(") + migration_lock + ")").c_str())); };
    const auto version = [&]() -> Result<int> {
        auto meta = run(conn, "SELECT to_regclass('meta') IS NOT NULL");
        if (!meta) return meta.error();
        if (meta->text(0, 0) != "t") {
            auto tables = run(conn, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()");
            if (!tables) return tables.error();
            if (tables->text(0, 0) != "0") return Error(Errc::data_error, "not a crossrate database (it has other tables)");
            return 0;
        }
        auto v = run(conn, "SELECT value FROM meta WHERE key = 'schema_version'");
        if (!v) return v.error();
        if (v->rows() != 1) return Error(Errc::data_error, "not a crossrate database (no schema version)");
        try {
            return std::stoi(v->text(0, 0));
        } catch (const std::exception&) {
            return Error(Errc::data_error, "not a crossrate database (schema version '" + v->text(0, 0) + "')");
        }
    }();
    if (!version) {
        unlock();
        return at_start(version.error());
    }
    if (*version > schema_version) {
        unlock();
        return at_start(Error(Errc::data_error, "was written by a newer crossrate (schema " + std::to_string(*version) +
                                                    "; this build reads up to " + std::to_string(schema_version) + ")"));
    }
    for (int v = *version; v < schema_version; ++v) {
        const auto step = [&]() -> Result<void> {
            if (auto b = run(conn, "BEGIN"); !b) return b.error();
            if (PgResult res(PQexec(conn, migrations[v])); PQresultStatus(res.r) != PGRES_COMMAND_OK) return unreachable(PQerrorMessage(conn));
            if (auto set = run(conn, "INSERT INTO meta (key, value) VALUES ('schema_version', $1)"
                                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               {std::to_string(v + 1)});
                !set) {
                return set.error();
            }
            if (v == 0) {
                if (auto first = run(conn, "INSERT INTO revisions (number, created_at, author, note, content_hash)"
                                           " VALUES (1, $1, 'fixtures', 'the fixtures shipped with crossrate', $2)",
                                     {now_utc(), fixtures_hash});
                    !first) {
                    return first.error();
                }
            }
            return run(conn, "COMMIT").has_value() ? Result<void>() : Result<void>(unreachable(PQerrorMessage(conn)));
        }();
        if (!step) {
            rollback(conn);
            unlock();
            return at_start(step.error());
        }
    }
    unlock();
    return store;
}

Result<std::vector<Revision>> PgStore::revisions() const { return revisions_after(0); }

Result<std::vector<Revision>> PgStore::revisions_after(std::int64_t number) const {
    return revision_rows(first("SELECT number, created_at, author, note, content_hash FROM revisions WHERE number > $1 ORDER BY number",
                               {std::to_string(number)}));
}

Result<Revision> PgStore::latest() const {
    auto last = revision_rows(first("SELECT number, created_at, author, note, content_hash FROM revisions ORDER BY number DESC LIMIT 1"));
    if (!last) return last.error();
    if (last->empty()) return unreachable("it has no revisions");
    return last->front();
}

Result<Revision> PgStore::append(std::int64_t number, const std::string& author, const std::string& note,
                                 const std::vector<StoredRecord>& records, const Idempotency* idempotency) {
    Revision r{number, now_utc(), author, note, records_hash(records)};
    const auto fail = [&](Error e) -> Error {
        rollback(conn_);
        return e;
    };
    // Read committed whatever the role's default: max(number) must be read after the lock is
    // taken, not from a snapshot taken before it.
    if (auto b = first("BEGIN ISOLATION LEVEL READ COMMITTED"); !b) return b.error();
    // Writers on every replica take the next number here, one at a time.
    if (auto lock = run(conn_, std::string("SELECT pg_advisory_xact_lock(") + write_lock + ")"); !lock) return fail(lock.error());
    auto last = run(conn_, "SELECT coalesce(max(number), 0) FROM revisions");
    if (!last) return fail(last.error());
    const std::int64_t latest = std::stoll(last->text(0, 0));
    if (latest + 1 != number) {
        return fail(Error(Errc::stale_revision, "revision " + std::to_string(number) + " is not the next one (the log is at " +
                                                    std::to_string(latest) + ")"));
    }
    if (auto rev = run(conn_, "INSERT INTO revisions (number, created_at, author, note, content_hash) VALUES ($1, $2, $3, $4, $5)",
                       {std::to_string(number), r.created_at, author, note, r.content_hash});
        !rev) {
        if (rev.error().code() == Errc::conflict) {  // the number taken meanwhile: catch up and retry
            return fail(Error(Errc::stale_revision, "revision " + std::to_string(number) + " was taken by another writer"));
        }
        return fail(rev.error());
    }
    // Records in batches of 1,000 rows: one round trip each, not one a row.
    constexpr std::size_t batch = 1000;
    for (std::size_t from = 0; from < records.size(); from += batch) {
        const std::size_t to = std::min(records.size(), from + batch);
        std::string sql = "INSERT INTO records (revision, kind, id, body, supersedes) VALUES ";
        std::vector<std::string> params;
        params.reserve((to - from) * 4 + 1);
        params.push_back(std::to_string(number));
        for (std::size_t i = from; i < to; ++i) {
            const std::size_t p = params.size();
            sql += (i == from ? "" : ",");
            sql += "($1,$" + std::to_string(p + 1) + ",$" + std::to_string(p + 2) + ",$" + std::to_string(p + 3) + ",$" +
                   std::to_string(p + 4) + ")";
            params.push_back(records[i].kind);
            params.push_back(records[i].id);
            params.push_back(records[i].body);
            params.push_back(records[i].supersedes);
        }
        if (auto ins = run(conn_, sql, params); !ins) return fail(ins.error());
    }
    if (idempotency != nullptr) {
        auto kept = run(conn_, "INSERT INTO idempotency (author, key, request_hash, response, revision) VALUES ($1, $2, $3, $4, $5)",
                        {author, idempotency->key, idempotency->request_hash, idempotency->response_for(r), std::to_string(number)});
        if (!kept) {
            // The same writer's key, written first by another replica: its answer is the one.
            if (kept.error().code() == Errc::conflict) {
                return fail(Error(Errc::stale_revision, "the Idempotency-Key was used by a write that landed first"));
            }
            return fail(kept.error());
        }
    }
    // Delivered to every listener when (and only if) the transaction commits.
    if (auto notify = run(conn_, "SELECT pg_notify($1, $2)", {channel, std::to_string(number)}); !notify) return fail(notify.error());
    if (auto c = run(conn_, "COMMIT"); !c) return fail(c.error());
    return r;
}

Result<void> PgStore::check_writable() { return probe(); }

Result<void> PgStore::probe() {
    auto recovery = first("SELECT pg_is_in_recovery()");
    if (!recovery) return recovery.error();
    if (recovery->text(0, 0) == "t") return unreachable("the server is a standby (read-only); list the primary, or several hosts with target_session_attrs=read-write");
    return {};
}

Result<std::optional<Store::Idempotency>> PgStore::find_idempotent(const std::string& author, const std::string& key) const {
    auto res = first("SELECT request_hash, response FROM idempotency WHERE author = $1 AND key = $2", {author, key});
    if (!res) return res.error();
    if (res->rows() == 0) return std::optional<Idempotency>{};
    return std::optional<Idempotency>{Idempotency{key, res->text(0, 0), res->text(0, 1), {}}};
}

Result<std::vector<StoredRecord>> PgStore::records(std::int64_t up_to) const {
    return record_rows(first("SELECT revision, kind, id, body, supersedes FROM records WHERE revision <= $1 ORDER BY seq",
                             {std::to_string(up_to)}));
}

Result<std::vector<StoredRecord>> PgStore::records_of(std::int64_t revision) const {
    return record_rows(first("SELECT revision, kind, id, body, supersedes FROM records WHERE revision = $1 ORDER BY seq",
                             {std::to_string(revision)}));
}

}  // namespace crossrate
