#include "api/json_writer.hpp"
#include "api/utf8.hpp"

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

namespace crossrate::api {
namespace {

// The escaper reads eight bytes at a time; it must agree with the plain rule on every string.
// The plain rule, a byte at a time: JSON's escapes, and U+FFFD for each byte that does not
// begin a well-formed UTF-8 sequence.
std::string reference_escape(std::string_view s) {
    std::string out = "[\"";
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char ch = s[i];
        const auto u = static_cast<unsigned char>(ch);
        if (u >= 0x80) {
            const std::size_t n = utf8_sequence(s, i);
            if (n == 0) {
                out += "\\ufffd";
            } else {
                out.append(s.substr(i, n));
                i += n - 1;
            }
        } else if (ch == '"') out += "\\\"";
        else if (ch == '\\') out += "\\\\";
        else if (ch == '\n') out += "\\n";
        else if (ch == '\r') out += "\\r";
        else if (ch == '\t') out += "\\t";
        else if (u < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            out += buf;
        } else out.push_back(ch);
    }
    return out + "\"]";
}

TEST(JsonWriter, WritesOnlyValidUtf8WhateverItIsGiven) {
    JsonWriter w;
    w.begin_array().value("\xff\xfe").value("caf\xc3\xa9 \xe2\x80\x9cok\xe2\x80\x9d").value("\xc0\xaf\xed\xa0\x80").end_array();
    EXPECT_EQ(w.str(), "[\"\\ufffd\\ufffd\",\"caf\xc3\xa9 \xe2\x80\x9cok\xe2\x80\x9d\",\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"]");
    EXPECT_TRUE(is_utf8(w.str()));
}

TEST(JsonWriter, EscapesLikeThePlainRuleWhateverTheAlignment) {
    const std::string alphabet = "ab \"\\\n\t\x01\x1f\x7f\xe2\x80\x9c" "0123456789";
    std::uint64_t state = 12345;
    for (int trial = 0; trial < 5000; ++trial) {
        std::string s;
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        const auto length = static_cast<std::size_t>(state >> 58);  // 0..63
        for (std::size_t i = 0; i < length; ++i) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            s.push_back(alphabet[(state >> 33) % alphabet.size()]);
        }
        JsonWriter w;
        w.begin_array().value(s).end_array();
        ASSERT_EQ(w.str(), reference_escape(s)) << "trial " << trial;
    }
}

}  // namespace
}  // namespace crossrate::api
