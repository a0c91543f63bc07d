// CSV bodies of the three writes: the header names the kind, each row becomes a record or a
// problem naming its line; nothing throws.

#include "fuzz/fuzz_support.hpp"
#include "ledger/records_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace crossrate;
    const std::string_view text = fuzz::text_of(data, size);
    const auto kind = csv_kind(text.substr(0, text.find('\n')));
    for (const auto k : {Ledger::Kind::quote, Ledger::Kind::rate, Ledger::Kind::source}) {
        if (kind && *kind != k) continue;
        std::vector<FieldProblem> problems;
        csv_records(k, text, problems)([](const std::string& pointer, const boost::json::value& row) {
            fuzz::require(pointer.size() > 1 && pointer[0] == '/', "a row is named by its line");
            fuzz::require(row.is_object(), "a row is a JSON object");
        });
    }
    return 0;
}
