#include "pricing/csv.hpp"

namespace crossrate {

CsvReader::CsvReader(std::string_view text, std::string name) : text_(text), name_(std::move(name)) {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // a byte-order mark from a spreadsheet
}

Error CsvReader::error(std::string_view field, std::string_view reason) const {
    std::string msg = name_ + ":" + std::to_string(record_line_) + ": ";
    if (!field.empty()) msg += "field '" + std::string(field) + "': ";
    msg += reason;
    return Error(Errc::data_error, std::move(msg));
}

Result<bool> CsvReader::read(std::vector<std::string_view>& fields) {
    fields.clear();
    unescaped_.clear();
    if (pos_ >= text_.size()) return false;
    record_line_ = line_;
    while (true) {
        if (pos_ < text_.size() && text_[pos_] == '"') {
            std::string value;
            ++pos_;
            while (true) {
                if (pos_ >= text_.size()) return error("", "a quoted field is never closed");
                const char ch = text_[pos_++];
                if (ch == '"') {
                    if (pos_ < text_.size() && text_[pos_] == '"') {
                        value.push_back('"');
                        ++pos_;
                        continue;
                    }
                    break;
                }
                if (ch == '\n') ++line_;
                value.push_back(ch);
            }
            unescaped_.push_back(std::move(value));
            fields.emplace_back(unescaped_.back());
            if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
                return error("", "text after the closing quote of a field");
            }
        } else {
            const std::size_t start = pos_;
            while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
                if (text_[pos_] == '"') return error("", "a quote inside an unquoted field");
                ++pos_;
            }
            fields.push_back(text_.substr(start, pos_ - start));
        }
        if (pos_ < text_.size() && text_[pos_] == ',') {
            ++pos_;
            continue;
        }
        if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
        if (pos_ < text_.size() && text_[pos_] == '\n') {
            ++pos_;
            ++line_;
        }
        return true;
    }
}

}  // namespace crossrate
