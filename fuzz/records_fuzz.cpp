// JSON records as POST /v1/quotes, /v1/rates and /v1/sources take them: read from their exact
// text and checked against the dataset. Every problem names a JSON pointer into the document.

#include "fuzz/fuzz_support.hpp"
#include "pricing/exact_json.hpp"
#include "pricing/records.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace crossrate;
    const auto body = parse_exact_json(fuzz::text_of(data, size));
    if (!body) return 0;
    std::vector<FieldProblem> problems;
    const auto quote = quote_from_json(*body, fuzz::dataset(), "", problems);
    fuzz::require(quote.has_value() == problems.empty(), "a quote is read exactly when it has no problems");
    problems.clear();
    (void)rate_from_json(*body, fuzz::dataset(), "", problems);
    problems.clear();
    (void)source_from_json(*body, fuzz::dataset(), "", problems);
    for (const auto& p : problems) fuzz::require(p.pointer.empty() || p.pointer.front() == '/', "problems name a pointer");
    return 0;
}
