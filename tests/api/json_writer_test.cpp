#include "api/json_writer.hpp"

#include <gtest/gtest.h>

namespace crossrate::api {
namespace {

TEST(JsonWriter, WritesDecimalsAsPlainNumberTokens) {
    JsonWriter w;
    w.begin_object();
    w.field("result", Decimal::parse("717.96").value());
    w.field("tiny", Decimal::parse("1.7e-13").value());
    w.field("negative", Decimal::parse("-0.5").value());
    w.end_object();
    EXPECT_EQ(w.str(), R"({"result":717.96,"tiny":0.00000000000017,"negative":-0.5})");
}

TEST(JsonWriter, EscapesStringsAndKeepsUtf8) {
    JsonWriter w;
    w.begin_array().value("“A goat” \"quoted\" back\\slash\nline\x01").end_array();
    EXPECT_EQ(w.str(), "[\"“A goat” \\\"quoted\\\" back\\\\slash\\nline\\u0001\"]");
}

TEST(JsonWriter, SeparatesNestedContainers) {
    JsonWriter w;
    w.begin_object().key("a").begin_array().value(1).begin_object().end_object().null().end_array();
    w.field("b", true).field("c", std::optional<std::string>{}).end_object();
    EXPECT_EQ(w.str(), R"({"a":[1,{},null],"b":true,"c":null})");
}

}  // namespace
}  // namespace crossrate::api
