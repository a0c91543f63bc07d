#include "api/json_writer.hpp"

#include <cstring>

namespace crossrate::api {

void JsonWriter::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!has_items_.empty()) {
        if (has_items_.back() != 0) out_.push_back(',');
        has_items_.back() = 1;
    }
}

JsonWriter& JsonWriter::begin_object() {
    separate();
    out_.push_back('{');
    has_items_.push_back(0);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    out_.push_back('}');
    has_items_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    separate();
    out_.push_back('[');
    has_items_.push_back(0);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    out_.push_back(']');
    has_items_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    separate();
    out_.push_back('"');
    out_.append(name);
    out_.append("\":", 2);
    after_key_ = true;
    return *this;
}

namespace {

// Whether any of the 8 bytes in `w` is below 0x20, a quote or a backslash (the bytes JSON
// escapes), tested eight at a time; bytes of 0x80 and above (UTF-8) never match.
inline bool needs_escape(std::uint64_t w) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    constexpr std::uint64_t highs = 0x8080808080808080ull;
    const auto has_zero = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
    const std::uint64_t control = (w - ones * 0x20) & ~w & highs;  // a byte below 0x20
    return (control | has_zero(w ^ (ones * '"')) | has_zero(w ^ (ones * '\\'))) != 0;
}

}  // namespace

JsonWriter& JsonWriter::value(std::string_view text) {
    separate();
    static constexpr char hex[] = "0123456789abcdef";
    out_.push_back('"');
    // Runs of characters that need no escaping are appended whole, found 8 bytes at a time.
    std::size_t run = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        if (i + 8 <= text.size()) {
            std::uint64_t w;
            std::memcpy(&w, text.data() + i, 8);
            if (!needs_escape(w)) {
                i += 8;
                continue;
            }
        }
        const auto u = static_cast<unsigned char>(text[i]);
        if (u >= 0x20 && u != '"' && u != '\\') {
            ++i;
            continue;
        }
        out_.append(text.data() + run, i - run);
        run = ++i;
        switch (u) {
            case '"': out_ += "\\\""; break;
            case '\\': out_ += "\\\\"; break;
            case '\n': out_ += "\\n"; break;
            case '\r': out_ += "\\r"; break;
            case '\t': out_ += "\\t"; break;
            default:
                out_ += "\\u00";
                out_.push_back(hex[u >> 4]);
                out_.push_back(hex[u & 0xF]);
        }
    }
    out_.append(text.data() + run, text.size() - run);
    out_.push_back('"');
    return *this;
}

JsonWriter& JsonWriter::value(const Decimal& number) {
    separate();
    number.append_to(out_);
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
    separate();
    out_ += std::to_string(number);
    return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
    separate();
    out_ += flag ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
    separate();
    out_ += json;
    return *this;
}

JsonWriter& JsonWriter::null() {
    separate();
    out_ += "null";
    return *this;
}

}  // namespace crossrate::api
