#include "store/sqlite_store.hpp"

#include "pricing/digest.hpp"
#include "pricing/fingerprint.hpp"

#include <sqlite3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <date/date.h>
#include <fstream>
#include <sstream>

namespace crossrate {
namespace fs = std::filesystem;
namespace {

// At start (open): the path helps the operator reading the log.
Error store_error(const fs::path& path, std::string_view what) {
    return Error(Errc::data_error, path.string() + ": " + std::string(what), "data-dir");
}

// While serving: what a client may be told, which never names a path.
Error storage_fault(std::string_view what) {
    return Error(Errc::storage, "the revision log cannot be used: " + std::string(what));
}

// Runs SQL without results.
Result<void> exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string text = message ? message : sqlite3_errmsg(db);
        sqlite3_free(message);
        return storage_fault(text);
    }
    return {};
}

// At start, with the path in the message.
Result<void> exec(sqlite3* db, const fs::path& path, const char* sql) {
    if (auto r = exec(db, sql); !r) return store_error(path, r.error().what());
    return {};
}

// A text column; NULL (which the schema does not allow, but a file may hold) reads as "".
std::string column_text(sqlite3_stmt* s, int col) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
    return text != nullptr ? std::string(text) : std::string();
}

struct Statement {
    sqlite3_stmt* s = nullptr;
    ~Statement() { sqlite3_finalize(s); }
};

// Every row of a prepared query as a Row {integer, text, text, text, text} (a revision or a record).
template <class Row>
Result<std::vector<Row>> five_column_rows(sqlite3* db, Statement& st) {
    std::vector<Row> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        const auto text = [&](int col) { return column_text(st.s, col); };
        out.push_back({sqlite3_column_int64(st.s, 0), text(1), text(2), text(3), text(4)});
    }
    if (rc != SQLITE_DONE) return storage_fault(sqlite3_errmsg(db));
    return out;
}

std::string now_utc() {
    return date::format("%FT%TZ", date::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

// The schema, one migration per version; each runs in the transaction that records it.
constexpr const char* migrations[] = {
    // 1: the revision log; the fixtures are revision 1.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE revisions (number INTEGER PRIMARY KEY, created_at TEXT NOT NULL, author TEXT NOT NULL,"
    " note TEXT NOT NULL, content_hash TEXT NOT NULL);",
    // 2: the records each write adds, append-only.
    "CREATE TABLE records (seq INTEGER PRIMARY KEY, revision INTEGER NOT NULL REFERENCES revisions(number),"
    " kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, supersedes TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX records_by_revision ON records (revision);",
    // 3: answers kept for Idempotency-Key retries, by writer and key.
    "CREATE TABLE idempotency (author TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,"
    " response TEXT NOT NULL, revision INTEGER NOT NULL REFERENCES revisions(number), PRIMARY KEY (author, key));",
};
static_assert(std::size(migrations) == Store::schema_version);


Result<int> read_schema_version(sqlite3* db, const fs::path& path) {
    Statement st;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'", -1, &st.s,
                           nullptr) != SQLITE_OK) {
        return store_error(path, std::string("not a crossrate database: ") + sqlite3_errmsg(db));
    }
    if (sqlite3_step(st.s) != SQLITE_ROW) return store_error(path, sqlite3_errmsg(db));
    if (sqlite3_column_int(st.s, 0) == 0) {
        Statement any;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &any.s, nullptr) != SQLITE_OK ||
            sqlite3_step(any.s) != SQLITE_ROW) {
            return store_error(path, sqlite3_errmsg(db));
        }
        if (sqlite3_column_int(any.s, 0) != 0) return store_error(path, "not a crossrate database (it has other tables)");
        return 0;  // empty: a new file
    }
    Statement v;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &v.s, nullptr) != SQLITE_OK) {
        return store_error(path, sqlite3_errmsg(db));
    }
    if (sqlite3_step(v.s) != SQLITE_ROW) return store_error(path, "not a crossrate database (no schema version)");
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(v.s, 0));
    int version = 0;
    const std::string_view digits = text != nullptr ? std::string_view(text) : std::string_view();
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || version < 1) {
        return store_error(path, "not a crossrate database (schema version '" + std::string(digits) + "')");
    }
    return version;
}

}  // namespace

Result<SqliteStore> SqliteStore::open(const fs::path& data_dir, const std::string& fixtures_hash) {
    std::error_code ec;
    fs::create_directories(data_dir, ec);
    if (ec || !fs::is_directory(data_dir)) {
        return store_error(data_dir, "cannot be used as the data directory: " +
                                         (ec ? ec.message() : std::string("not a directory")));
    }
    const fs::path path = data_dir / file_name;
    const bool existed = fs::exists(path);
    sqlite3* db = nullptr;
    // An existing file is opened for writing but written only once it is known to be a
    // crossrate database this build can read (a hot journal left by a crash is rolled back by
    // SQLite on the first read, which needs write access).
    const int flags = existed ? SQLITE_OPEN_READWRITE : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return store_error(path, "cannot be opened: " + why);
    }
    if (sqlite3_db_readonly(db, "main") == 1) {
        sqlite3_close(db);
        return store_error(path, "cannot be written (the file is read-only)");
    }
    auto version = read_schema_version(db, path);
    if (!version) {
        sqlite3_close(db);
        return version.error();
    }
    if (*version > schema_version) {
        sqlite3_close(db);
        return store_error(path, "was written by a newer crossrate (schema " + std::to_string(*version) +
                                     "; this build reads up to " + std::to_string(schema_version) + ")");
    }
    struct stat opened {};
    if (::stat(path.c_str(), &opened) != 0) {
        sqlite3_close(db);
        return store_error(path, "vanished while being opened");
    }
    SqliteStore store(path, db, opened.st_dev, opened.st_ino);
    // A rollback journal, not WAL: WAL's index is a shared-memory file mapped into the process,
    // and a fault on it (the file truncated, the folder removed) is a SIGBUS that no error
    // code can report. Other processes (the CLI) still read between writes.
    sqlite3_busy_timeout(db, 5000);
    if (auto r = exec(db, path, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"); !r) {
        return r.error();
    }
    for (int v = *version; v < schema_version; ++v) {
        if (auto r = exec(db, path, "BEGIN IMMEDIATE"); !r) return r.error();
        auto migrate = exec(db, path, migrations[v]);
        Statement set;
        const bool prepared =
            sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?1)", -1, &set.s, nullptr) ==
            SQLITE_OK;
        sqlite3_bind_int(set.s, 1, v + 1);
        const bool recorded = migrate && prepared && sqlite3_step(set.s) == SQLITE_DONE;
        if (!recorded) {
            exec(db, path, "ROLLBACK");
            return migrate ? store_error(path, sqlite3_errmsg(db)) : migrate.error();
        }
        if (v == 0) {
            Statement first;
            const bool ready = sqlite3_prepare_v2(db,
                                                  "INSERT INTO revisions (number, created_at, author, note, content_hash)"
                                                  " VALUES (1, ?1, 'fixtures', 'the fixtures shipped with crossrate', ?2)",
                                                  -1, &first.s, nullptr) == SQLITE_OK;
            const std::string now = now_utc();
            sqlite3_bind_text(first.s, 1, now.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(first.s, 2, fixtures_hash.c_str(), -1, SQLITE_TRANSIENT);
            if (!ready || sqlite3_step(first.s) != SQLITE_DONE) {
                exec(db, path, "ROLLBACK");
                return store_error(path, sqlite3_errmsg(db));
            }
        }
        if (auto r = exec(db, path, "COMMIT"); !r) return r.error();
    }
    return store;
}

Result<void> SqliteStore::check_writable() {
    if (auto r = exec(db_, "BEGIN IMMEDIATE; INSERT OR REPLACE INTO meta (key, value) VALUES ('opened_at', datetime('now')); COMMIT;");
        !r) {
        const std::string why = sqlite3_errmsg(db_);  // before the rollback replaces it
        exec(db_, "ROLLBACK");
        return store_error(path_, "cannot be written: " + why);
    }
    return {};
}

Result<void> SqliteStore::check_file() const {
    struct stat now {};
    if (::stat(path_.c_str(), &now) != 0) {
        return storage_fault("its file is gone (the data directory was removed or moved); restart the server on a data directory");
    }
    if (now.st_dev != device_ || now.st_ino != inode_ || now.st_nlink == 0) {
        return storage_fault("its file was replaced by another; restart the server to use it");
    }
    return {};
}

Result<void> SqliteStore::probe() {
    if (auto r = check_file(); !r) return r;
    // Room for a write: a file of 1 MiB written, synced and removed beside the log (a full
    // disk, a file-size limit, a folder that takes no new file all fail here).
    const fs::path probe = path_.parent_path() / ".crossrate-probe";
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return storage_fault(std::string("the data directory takes no new file: ") + std::strerror(errno));
    static const std::string block(64 * 1024, '\0');
    int error = 0;
    for (int i = 0; i < 16 && error == 0; ++i) {
        if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size())) error = errno != 0 ? errno : ENOSPC;
    }
    if (error == 0 && ::fsync(fd) != 0) error = errno;
    ::close(fd);
    ::unlink(probe.c_str());
    if (error != 0) return storage_fault(std::string("a write beside it fails: ") + std::strerror(error));
    return {};
}

SqliteStore::SqliteStore(SqliteStore&& other) noexcept
    : path_(std::move(other.path_)), db_(std::exchange(other.db_, nullptr)), device_(other.device_), inode_(other.inode_) {}

SqliteStore& SqliteStore::operator=(SqliteStore&& other) noexcept {
    if (this != &other) {
        sqlite3_close(db_);
        path_ = std::move(other.path_);
        db_ = std::exchange(other.db_, nullptr);
        device_ = other.device_;
        inode_ = other.inode_;
    }
    return *this;
}

SqliteStore::~SqliteStore() { sqlite3_close(db_); }

Result<std::vector<Revision>> SqliteStore::revisions_where(std::string_view clause, std::int64_t number) const {
    Statement st;
    const std::string sql = "SELECT number, created_at, author, note, content_hash FROM revisions " + std::string(clause);
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) return storage_fault(sqlite3_errmsg(db_));
    if (sqlite3_bind_parameter_count(st.s) > 0) sqlite3_bind_int64(st.s, 1, number);
    return five_column_rows<Revision>(db_, st);
}

Result<std::vector<Revision>> SqliteStore::revisions() const { return revisions_where("ORDER BY number", 0); }

Result<std::vector<Revision>> SqliteStore::revisions_after(std::int64_t number) const {
    return revisions_where("WHERE number > ?1 ORDER BY number", number);
}

Result<Revision> SqliteStore::latest() const {
    auto last = revisions_where("ORDER BY number DESC LIMIT 1", 0);
    if (!last) return last.error();
    if (last->empty()) return storage_fault("it has no revisions");
    return last->front();
}

Result<Revision> SqliteStore::append(std::int64_t number, const std::string& author, const std::string& note,
                                     const std::vector<StoredRecord>& records, const Idempotency* idempotency) {
    Revision r{number, now_utc(), author, note, records_hash(records)};

    // The file must still be the one opened, before the write and after it: a commit into a
    // file whose folder was removed would be acknowledged and lost.
    if (auto f = check_file(); !f) return f.error();
    if (auto b = exec(db_, "BEGIN IMMEDIATE"); !b) return b.error();
    // Another process (crossrate import) may have written first: the number is taken.
    {
        Statement last;
        if (sqlite3_prepare_v2(db_, "SELECT max(number) FROM revisions", -1, &last.s, nullptr) != SQLITE_OK ||
            sqlite3_step(last.s) != SQLITE_ROW) {
            const Error e = storage_fault(sqlite3_errmsg(db_));
            exec(db_, "ROLLBACK");
            return e;
        }
        const std::int64_t latest = sqlite3_column_int64(last.s, 0);
        if (latest + 1 != number) {
            exec(db_, "ROLLBACK");
            return Error(Errc::stale_revision, "revision " + std::to_string(number) + " is not the next one (the log is at " +
                                                   std::to_string(latest) + ")");
        }
    }
    const auto fail = [&]() -> Error {
        const Error e = storage_fault(sqlite3_errmsg(db_));
        exec(db_, "ROLLBACK");
        return e;
    };
    {
        Statement rev;
        if (sqlite3_prepare_v2(db_, "INSERT INTO revisions (number, created_at, author, note, content_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
                               -1, &rev.s, nullptr) != SQLITE_OK) {
            return fail();
        }
        sqlite3_bind_int64(rev.s, 1, r.number);
        sqlite3_bind_text(rev.s, 2, r.created_at.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(rev.s, 3, author.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(rev.s, 4, note.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(rev.s, 5, r.content_hash.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(rev.s) != SQLITE_DONE) return fail();
    }
    // One statement for every record, reset between rows.
    Statement ins;
    if (!records.empty() &&
        sqlite3_prepare_v2(db_, "INSERT INTO records (revision, kind, id, body, supersedes) VALUES (?1, ?2, ?3, ?4, ?5)", -1,
                           &ins.s, nullptr) != SQLITE_OK) {
        return fail();
    }
    for (const auto& rec : records) {
        sqlite3_reset(ins.s);
        sqlite3_bind_int64(ins.s, 1, r.number);
        sqlite3_bind_text(ins.s, 2, rec.kind.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.s, 3, rec.id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.s, 4, rec.body.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins.s, 5, rec.supersedes.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(ins.s) != SQLITE_DONE) return fail();
    }
    if (idempotency != nullptr) {
        Statement key;
        if (sqlite3_prepare_v2(db_, "INSERT INTO idempotency (author, key, request_hash, response, revision) VALUES (?1, ?2, ?3, ?4, ?5)",
                               -1, &key.s, nullptr) != SQLITE_OK) {
            return fail();
        }
        sqlite3_bind_text(key.s, 1, author.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(key.s, 2, idempotency->key.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(key.s, 3, idempotency->request_hash.c_str(), -1, SQLITE_TRANSIENT);
        const std::string response = idempotency->response_for(r);
        sqlite3_bind_text(key.s, 4, response.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(key.s, 5, r.number);
        if (sqlite3_step(key.s) != SQLITE_DONE) {
            // The same writer's key, committed first by a concurrent retry: its answer is the one.
            if ((sqlite3_errcode(db_) & 0xff) == SQLITE_CONSTRAINT) {
                exec(db_, "ROLLBACK");
                return Error(Errc::stale_revision, "the Idempotency-Key was used by a write that landed first");
            }
            return fail();
        }
    }
    if (auto c = exec(db_, "COMMIT"); !c) {
        exec(db_, "ROLLBACK");
        return c.error();
    }
    if (auto f = check_file(); !f) return f.error();
    return r;
}

Result<std::optional<Store::Idempotency>> SqliteStore::find_idempotent(const std::string& author, const std::string& key) const {
    Statement st;
    if (sqlite3_prepare_v2(db_, "SELECT request_hash, response FROM idempotency WHERE author = ?1 AND key = ?2", -1, &st.s,
                           nullptr) != SQLITE_OK) {
        return storage_fault(sqlite3_errmsg(db_));
    }
    sqlite3_bind_text(st.s, 1, author.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st.s, 2, key.c_str(), -1, SQLITE_TRANSIENT);
    const int rc = sqlite3_step(st.s);
    if (rc == SQLITE_DONE) return std::optional<Idempotency>{};
    if (rc != SQLITE_ROW) return storage_fault(sqlite3_errmsg(db_));
    const auto text = [&](int col) { return column_text(st.s, col); };
    return std::optional<Idempotency>{Idempotency{key, text(0), text(1), {}}};
}

// The records whose revision stands in `relation` ("<=", "=") to `revision`, in order.
Result<std::vector<StoredRecord>> SqliteStore::records_where(std::string_view relation, std::int64_t revision) const {
    Statement st;
    const std::string sql = "SELECT revision, kind, id, body, supersedes FROM records WHERE revision " + std::string(relation) +
                            " ?1 ORDER BY seq";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st.s, nullptr) != SQLITE_OK) return storage_fault(sqlite3_errmsg(db_));
    sqlite3_bind_int64(st.s, 1, revision);
    return five_column_rows<StoredRecord>(db_, st);
}

Result<std::vector<StoredRecord>> SqliteStore::records(std::int64_t up_to) const { return records_where("<=", up_to); }

Result<std::vector<StoredRecord>> SqliteStore::records_of(std::int64_t revision) const { return records_where("=", revision); }

std::string records_hash(const std::vector<StoredRecord>& records) {
    // The records' parts, each ended by 0xff.
    Sha256 h;
    for (const auto& rec : records) {
        for (const auto& part : {rec.kind, rec.id, rec.body, rec.supersedes}) h.add(part).add("\xff");
    }
    return "sha256:" + h.hex();
}

namespace {

// Each file's relative path and bytes, in path order, into `add`.
template <class Hash>
Result<std::string> hash_folder(const fs::path& fixtures_dir, Hash& h) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(fixtures_dir, ec), end; it != end && !ec; it.increment(ec)) {
        if (it->is_regular_file()) files.push_back(fs::relative(it->path(), fixtures_dir));
    }
    if (ec) return Error(Errc::data_error, fixtures_dir.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        if (f.filename() == ".staged") continue;
        std::ifstream in(fixtures_dir / f, std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        h.add(f.generic_string()).add(std::string_view("\0", 1)).add(bytes.str());
    }
    return h.hex();
}

}  // namespace

Result<std::string> hash_fixtures(const fs::path& fixtures_dir) {
    Sha256 h;
    auto hex = hash_folder(fixtures_dir, h);
    if (!hex) return hex.error();
    return "sha256:" + *hex;
}

Result<bool> fixtures_match(const std::string& recorded, const fs::path& fixtures_dir) {
    // Logs started before SHA-256 recorded FNV-1a: compared as they were recorded.
    if (recorded.starts_with("fnv1a64:")) {
        Fingerprint h;
        auto hex = hash_folder(fixtures_dir, h);
        if (!hex) return hex.error();
        return recorded == "fnv1a64:" + *hex;
    }
    auto now = hash_fixtures(fixtures_dir);
    if (!now) return now.error();
    return recorded == *now;
}

}  // namespace crossrate
