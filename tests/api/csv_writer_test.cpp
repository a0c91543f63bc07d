#include "api/csv_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace crossrate::api {
namespace {

TEST(CsvWriter, QuotesOnlyTheFieldsThatNeedIt) {
    CsvWriter csv;
    csv.row({"goat", "1,500", "say \"around\"", "two\nlines", ""});
    EXPECT_EQ(csv.take(), "goat,\"1,500\",\"say \"\"around\"\"\",\"two\nlines\",\n");
}

TEST(CsvWriter, WritesAListOfColumnsAsItWritesABracedRow) {
    CsvWriter listed, braced;
    const std::vector<std::string> fields{"id", "RMB 1,500", "\"about\""};
    listed.row(fields);
    braced.row({"id", "RMB 1,500", "\"about\""});
    EXPECT_EQ(listed.take(), braced.take());
}

}  // namespace
}  // namespace crossrate::api
