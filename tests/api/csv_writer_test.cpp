#include "api/csv_writer.hpp"

#include <gtest/gtest.h>

namespace crossrate::api {
namespace {

TEST(CsvWriter, QuotesOnlyTheFieldsThatNeedIt) {
    CsvWriter csv;
    csv.row({"goat", "1,500", "say \"around\"", "two\nlines", ""});
    EXPECT_EQ(csv.take(), "goat,\"1,500\",\"say \"\"around\"\"\",\"two\nlines\",\n");
}

}  // namespace
}  // namespace crossrate::api
