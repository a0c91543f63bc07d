#pragma once
// The one JSON writer of crossrate's documents. Decimals are written as JSON number tokens
// made from their own digits, in plain notation (717.96, 0.000125), never through a double.

#include "pricing/decimal.hpp"

#include <boost/container/small_vector.hpp>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crossrate::api {

class JsonWriter {
public:
    JsonWriter() { out_.resize(1024); }

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    // Keys are the documents' own field names, plain ASCII identifiers: written as they are.
    JsonWriter& key(std::string_view name);

    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(const Decimal& number);
    JsonWriter& value(std::int64_t number);
    JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
    JsonWriter& value(bool flag);
    JsonWriter& null();
    // A value already written as JSON (a document embedded in another).
    JsonWriter& raw(std::string_view json);
    template <class T>
    JsonWriter& value(const std::optional<T>& v) {
        return v ? value(*v) : null();
    }

    template <class T>
    JsonWriter& field(std::string_view name, const T& v) {
        key(name);
        return value(v);
    }

    // Whether `text` is written between its quotes as it is: nothing in it to escape or to
    // check as UTF-8 (printable ASCII but '"' and '\\').
    static bool is_plain(std::string_view text) noexcept;

    std::string_view str() const noexcept { return {out_.data(), size_}; }
    // Starts a new document, keeping the storage.
    void clear() noexcept {
        size_ = 0;
        has_items_.clear();
        after_key_ = false;
    }
    std::string take() {
        out_.resize(size_);
        size_ = 0;
        return std::move(out_);
    }

private:
    void separate();
    // Room for n more characters; the caller fills them. One capacity check per write,
    // where std::string::append would make one per call.
    char* extend(std::size_t n) {
        if (size_ + n > out_.size()) out_.resize(std::max(out_.size() * 2, size_ + n));
        char* p = out_.data() + size_;
        size_ += n;
        return p;
    }
    void put(char c) { *extend(1) = c; }
    void put(std::string_view s) { std::memcpy(extend(s.size()), s.data(), s.size()); }

    std::string out_;   // its size is capacity; size_ is what is written
    std::size_t size_ = 0;
    // Per open container: 1 once it holds a value. Documents nest a few levels deep: no
    // allocation for that.
    boost::container::small_vector<unsigned char, 32> has_items_;
    bool after_key_ = false;
};

}  // namespace crossrate::api
