#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

namespace crossrate {
namespace {
namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("crossrate-store-" + std::to_string(std::random_device{}()));
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string bytes(const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    fs::path dir_;
};

TEST_F(StoreTest, FirstStartCreatesTheFileWithTheFixturesAsRevisionOne) {
    const auto store = SqliteStore::open(dir_ / "var", "fnv1a64:0123");
    ASSERT_TRUE(store) << store.error().what();
    EXPECT_TRUE(fs::exists(dir_ / "var" / "crossrate.sqlite3"));
    const auto revisions = store->revisions().value();
    ASSERT_EQ(revisions.size(), 1u);
    EXPECT_EQ(revisions[0].number, 1);
    EXPECT_EQ(revisions[0].author, "fixtures");
    EXPECT_EQ(revisions[0].content_hash, "fnv1a64:0123");
    EXPECT_EQ(revisions[0].created_at.size(), 20u);  // 2026-11-23T18:09:42Z
}

TEST_F(StoreTest, ReopeningKeepsTheLogAsItWas) {
    { ASSERT_TRUE(SqliteStore::open(dir_, "fnv1a64:0123")); }
    const auto again = SqliteStore::open(dir_, "fnv1a64:4567");
    ASSERT_TRUE(again);
    const auto revisions = again->revisions().value();
    ASSERT_EQ(revisions.size(), 1u);
    EXPECT_EQ(revisions[0].content_hash, "fnv1a64:0123");
    EXPECT_EQ(again->latest()->number, 1);
}

TEST_F(StoreTest, AFileFromANewerCrossrateIsRefusedAndLeftUnchanged) {
    { ASSERT_TRUE(SqliteStore::open(dir_, "h")); }
    const fs::path file = dir_ / SqliteStore::file_name;
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    const std::string before = bytes(file);
    const auto refused = SqliteStore::open(dir_, "h");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code(), Errc::data_error);
    EXPECT_NE(std::string(refused.error().what()).find("was written by a newer crossrate (schema 99; this build reads up to 3)"),
              std::string::npos);
    EXPECT_EQ(bytes(file), before);
}

TEST_F(StoreTest, SomethingElseIsRefusedAndLeftUnchanged) {
    fs::create_directories(dir_);
    const fs::path file = dir_ / SqliteStore::file_name;
    std::ofstream(file) << "these are not the bytes of a database";
    const auto garbage = SqliteStore::open(dir_, "h");
    ASSERT_FALSE(garbage);
    EXPECT_EQ(bytes(file), "these are not the bytes of a database");

    fs::remove(file);
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE notes (x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    const auto other = SqliteStore::open(dir_, "h");
    ASSERT_FALSE(other);
    EXPECT_NE(std::string(other.error().what()).find("not a crossrate database"), std::string::npos);
}

TEST_F(StoreTest, AppendAddsOneRevisionWithItsRecords) {
    auto store = SqliteStore::open(dir_, "h").value();
    const auto r = store.append(2, "analyst", "two new quotes",
                                {{0, "quote", "goat-origin-2024-05", R"({"amount":"550"})", ""},
                                 {0, "quote", "goat-origin-2024-05b", R"({"amount":"560"})", "goat-origin-2024-05"}});
    ASSERT_TRUE(r) << r.error().what();
    EXPECT_EQ(r->number, 2);
    EXPECT_EQ(r->author, "analyst");
    EXPECT_EQ(store.latest()->number, 2);
    const auto at1 = store.records(1).value();
    EXPECT_TRUE(at1.empty());
    const auto at2 = store.records(2).value();
    ASSERT_EQ(at2.size(), 2u);
    EXPECT_EQ(at2[0].revision, 2);
    EXPECT_EQ(at2[1].supersedes, "goat-origin-2024-05");
}

TEST_F(StoreTest, WhatWasAppendedIsThereAfterReopening) {
    {
        auto store = SqliteStore::open(dir_, "h").value();
        ASSERT_TRUE(store.append(2, "a", "n", {{0, "source", "s1", "{}", ""}}));
        ASSERT_TRUE(store.append(3, "b", "m", {{0, "quote", "q1", "{}", ""}}));
    }
    const auto again = SqliteStore::open(dir_, "h").value();
    EXPECT_EQ(again.latest()->number, 3);
    EXPECT_EQ(again.records(3)->size(), 2u);
    EXPECT_EQ(again.records(2)->size(), 1u);
}

TEST_F(StoreTest, AFirstVersionFileIsMigratedKeepingItsLog) {
    fs::create_directories(dir_);
    const fs::path file = dir_ / SqliteStore::file_name;
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_exec(db,
                 "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                 "CREATE TABLE revisions (number INTEGER PRIMARY KEY, created_at TEXT NOT NULL, author TEXT NOT NULL,"
                 " note TEXT NOT NULL, content_hash TEXT NOT NULL);"
                 "INSERT INTO meta VALUES ('schema_version', '1');"
                 "INSERT INTO revisions VALUES (1, '2026-01-01T00:00:00Z', 'fixtures', 'old', 'fnv1a64:old');",
                 nullptr, nullptr, nullptr);
    sqlite3_close(db);
    auto store = SqliteStore::open(dir_, "fnv1a64:new").value();
    EXPECT_EQ(store.revisions()->front().content_hash, "fnv1a64:old");
    EXPECT_TRUE(store.records(1)->empty());
    EXPECT_EQ(store.append(2, "a", "n", {{0, "quote", "q", "{}", ""}})->number, 2);
}

// A number another process took first is refused, and nothing of the write is kept: the
// writer catches up and tries the next one.
TEST_F(StoreTest, ANumberAlreadyTakenIsStaleAndWritesNothing) {
    auto store = SqliteStore::open(dir_, "h").value();
    ASSERT_TRUE(store.append(2, "a", "first", {{0, "quote", "q1", "{}", ""}}));
    const auto again = store.append(2, "b", "second", {{0, "quote", "q2", "{}", ""}});
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code(), Errc::stale_revision);
    EXPECT_EQ(store.latest()->number, 2);
    EXPECT_EQ(store.records(3)->size(), 1u);
    EXPECT_EQ(store.revisions_after(1)->size(), 1u);
    EXPECT_TRUE(store.append(3, "b", "second", {{0, "quote", "q2", "{}", ""}}));
}

TEST_F(StoreTest, ADataDirectoryThatIsAFileIsAClearError) {
    fs::create_directories(dir_);
    std::ofstream(dir_ / "plain") << "x";
    const auto r = SqliteStore::open(dir_ / "plain", "h");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().param(), "data-dir");
    EXPECT_NE(std::string(r.error().what()).find("cannot be used as the data directory"), std::string::npos);
}

TEST_F(StoreTest, TheFixturesHashFollowsTheirContent) {
    fs::create_directories(dir_ / "f" / "rates");
    std::ofstream(dir_ / "f" / "a.json") << "[]";
    std::ofstream(dir_ / "f" / "rates" / "b.csv") << "x";
    const auto first = hash_fixtures(dir_ / "f").value();
    EXPECT_EQ(first, hash_fixtures(dir_ / "f").value());
    std::ofstream(dir_ / "f" / "rates" / "b.csv") << "y";
    EXPECT_NE(first, hash_fixtures(dir_ / "f").value());
    EXPECT_EQ(first.rfind("sha256:", 0), 0u);
    EXPECT_EQ(first.size(), 7u + 64u);
    EXPECT_TRUE(fixtures_match(first, dir_ / "f").value() == false);  // b.csv changed since
    EXPECT_TRUE(fixtures_match(hash_fixtures(dir_ / "f").value(), dir_ / "f").value());
}

// A log begun before SHA-256 recorded its fixtures with FNV-1a: still recognised as the same.
TEST_F(StoreTest, AnOlderLogsFnvFixturesHashStillMatches) {
    fs::create_directories(dir_ / "f");
    std::ofstream(dir_ / "f" / "a.json") << "[]";
    // FNV-1a 64 of "a.json\0[]", as older builds wrote it.
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (const char c : std::string("a.json", 6) + std::string(1, '\0') + "[]") {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    EXPECT_TRUE(fixtures_match(std::string("fnv1a64:") + hex, dir_ / "f").value());
    EXPECT_FALSE(fixtures_match("fnv1a64:0000000000000000", dir_ / "f").value());
}

}  // namespace
}  // namespace crossrate
