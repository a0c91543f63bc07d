#pragma once
// One handler per resource; each parses its parameters, asks the model, renders the answer.
// A request it refuses (bad input, a missing rate, a write without a token) is its Error,
// returned: App::answer makes it the problem response.

#include "server/route.hpp"

namespace crossrate::server::handlers {

// The 413 for a computed answer over --max-answer-bytes: `size` says how large ("would take up
// to 9000000 bytes"), `advice` what to cut.
Error answer_too_large(const std::string& size, const Config& config, std::string_view advice);

Result<Reply> index(const Call& call);
Result<Reply> currencies(const Call& call);
Result<Reply> rates(const Call& call);
Result<Reply> rates_series(const Call& call);
Result<Reply> rate_reports(const Call& call);
Result<Reply> rates_post(const Call& call);
Result<Reply> convert(const Call& call);
Result<Reply> convert_batch(const Call& call);
Result<Reply> sources(const Call& call);
Result<Reply> items(const Call& call);
Result<Reply> quotes(const Call& call);
Result<Reply> quotes_series(const Call& call);
Result<Reply> regimes(const Call& call);
Result<Reply> margins(const Call& call);
Result<Reply> margins_series(const Call& call);
Result<Reply> assumptions(const Call& call);
Result<Reply> claims(const Call& call);
Result<Reply> scenarios(const Call& call);
Result<Reply> quotes_post(const Call& call);
Result<Reply> sources_post(const Call& call);
Result<Reply> revisions(const Call& call);
Result<Reply> revision(const Call& call);
Result<Reply> events(const Call& call);
Result<Reply> healthz(const Call& call);
Result<Reply> readyz(const Call& call);
Result<Reply> metrics(const Call& call);
Result<Reply> openapi(const Call& call);

}  // namespace crossrate::server::handlers
