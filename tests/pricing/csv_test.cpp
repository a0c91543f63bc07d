#include "pricing/csv.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

std::vector<std::vector<std::string>> read_all(std::string_view text) {
    CsvReader csv(text, "t.csv");
    std::vector<std::string_view> f;
    std::vector<std::vector<std::string>> rows;
    while (csv.read(f).value()) rows.emplace_back(f.begin(), f.end());
    return rows;
}

TEST(Csv, ReadsQuotedFieldsWithCommasQuotesAndLineBreaks) {
    const auto rows = read_all("a,b,c\n1,\"x, \"\"y\"\"\",\"two\nlines\"\r\n,,\n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1][1], "x, \"y\"");
    EXPECT_EQ(rows[1][2], "two\nlines");
    EXPECT_EQ(rows[2], (std::vector<std::string>{"", "", ""}));
}

TEST(Csv, KeepsRaggedRowsAsTheyAre) {
    const auto rows = read_all("DATE,A,B\n2023-01-02,1\n");
    EXPECT_EQ(rows[1].size(), 2u);
}

TEST(Csv, MalformedQuotesAreErrorsWithTheLine) {
    CsvReader csv("a\nb\n\"open\n", "t.csv");
    std::vector<std::string_view> f;
    ASSERT_TRUE(csv.read(f).value());
    ASSERT_TRUE(csv.read(f).value());
    const auto open = csv.read(f);
    ASSERT_FALSE(open);
    EXPECT_EQ(open.error().code(), Errc::data_error);
    EXPECT_EQ(std::string(open.error().what()), "t.csv:3: a quoted field is never closed");
    CsvReader stray("a\"b\n", "t.csv");
    const auto inside = stray.read(f);
    ASSERT_FALSE(inside);
    EXPECT_EQ(std::string(inside.error().what()), "t.csv:1: a quote inside an unquoted field");
    CsvReader after("\"a\"b\n", "t.csv");
    const auto trailing = after.read(f);
    ASSERT_FALSE(trailing);
    EXPECT_EQ(std::string(trailing.error().what()), "t.csv:1: text after the closing quote of a field");
}

TEST(Csv, TheEndIsFalseNotAnError) {
    CsvReader csv("a\n", "t.csv");
    std::vector<std::string_view> f;
    ASSERT_TRUE(csv.read(f).value());
    const auto end = csv.read(f);
    ASSERT_TRUE(end);
    EXPECT_FALSE(*end);
}

}  // namespace
}  // namespace crossrate
