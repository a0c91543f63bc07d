#include "pricing/csv.hpp"

#include <gtest/gtest.h>

namespace crossrate {
namespace {

std::vector<std::vector<std::string>> read_all(std::string_view text) {
    CsvReader csv(text, "t.csv");
    std::vector<std::string_view> f;
    std::vector<std::vector<std::string>> rows;
    while (csv.next(f)) rows.emplace_back(f.begin(), f.end());
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

TEST(Csv, MalformedQuotesStopWithTheLine) {
    CsvReader csv("a\nb\n\"open\n", "t.csv");
    std::vector<std::string_view> f;
    csv.next(f);
    csv.next(f);
    try {
        csv.next(f);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::data_error);
        EXPECT_EQ(std::string(e.what()), "t.csv:3: a quoted field is never closed");
    }
    CsvReader stray("a\"b\n", "t.csv");
    EXPECT_THROW(stray.next(f), Error);
}

}  // namespace
}  // namespace crossrate
