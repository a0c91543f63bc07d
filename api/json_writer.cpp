#include "api/json_writer.hpp"

#include "api/swar.hpp"
#include "api/utf8.hpp"

#include <algorithm>

namespace crossrate::api {
namespace {

// Whether any of the 8 bytes in `w` is below 0x20, a quote or a backslash (the bytes JSON
// escapes), or 0x80 and above (to be checked as UTF-8), tested eight at a time.
inline bool needs_a_look(std::uint64_t w) noexcept {
    using namespace swar;
    return (byte_below(w, 0x20) | high_byte(w) | byte_is(w, '"') | byte_is(w, '\\')) != 0;
}

}  // namespace

bool JsonWriter::is_plain(std::string_view text) noexcept { return !swar::any_word(text, needs_a_look); }

void JsonWriter::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!has_items_.empty()) {
        if (has_items_.back() != 0) put(',');
        has_items_.back() = 1;
    }
}

JsonWriter& JsonWriter::begin_object() {
    separate();
    put('{');
    has_items_.push_back(0);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    put('}');
    has_items_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    separate();
    put('[');
    has_items_.push_back(0);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    put(']');
    has_items_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    separate();
    char* p = extend(name.size() + 3);
    *p++ = '"';
    std::memcpy(p, name.data(), name.size());
    p += name.size();
    *p++ = '"';
    *p = ':';
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
    separate();
    static constexpr char hex[] = "0123456789abcdef";
    put('"');
    // Runs of characters that need no escaping are copied whole, found 8 bytes at a time.
    std::size_t run = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        if (i + 8 <= text.size()) {
            std::uint64_t w;
            std::memcpy(&w, text.data() + i, 8);
            if (!needs_a_look(w)) {
                i += 8;
                continue;
            }
        }
        const auto u = static_cast<unsigned char>(text[i]);
        if (u >= 0x80) {
            // Well-formed UTF-8 is copied; any other byte becomes U+FFFD, so the document is
            // valid JSON text whatever a client sent.
            if (const std::size_t n = utf8_sequence(text, i); n != 0) {
                i += n;
                continue;
            }
            put(text.substr(run, i - run));
            run = ++i;
            put("\\ufffd");
            continue;
        }
        if (u >= 0x20 && u != '"' && u != '\\') {
            ++i;
            continue;
        }
        put(text.substr(run, i - run));
        run = ++i;
        switch (u) {
            case '"': put("\\\""); break;
            case '\\': put("\\\\"); break;
            case '\n': put("\\n"); break;
            case '\r': put("\\r"); break;
            case '\t': put("\\t"); break;
            default: {
                char* p = extend(6);
                std::memcpy(p, "\\u00", 4);
                p[4] = hex[u >> 4];
                p[5] = hex[u & 0xF];
            }
        }
    }
    put(text.substr(run));
    put('"');
    return *this;
}

JsonWriter& JsonWriter::value(const Decimal& number) {
    separate();
    char* p = extend(Decimal::max_text_size);
    size_ -= Decimal::max_text_size - number.write(p);
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
    separate();
    char text[24];
    char* end = text + sizeof text;
    char* p = end;
    const bool negative = number < 0;
    auto magnitude = negative ? 0 - static_cast<std::uint64_t>(number) : static_cast<std::uint64_t>(number);
    do {
        *--p = static_cast<char>('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    if (negative) *--p = '-';
    put(std::string_view(p, static_cast<std::size_t>(end - p)));
    return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
    separate();
    put(flag ? std::string_view("true") : std::string_view("false"));
    return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
    separate();
    put(json);
    return *this;
}

JsonWriter& JsonWriter::null() {
    separate();
    put("null");
    return *this;
}

}  // namespace crossrate::api
