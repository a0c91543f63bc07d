#pragma once
// One handler per resource; each parses its parameters, asks the model, renders the answer.

#include "server/route.hpp"

namespace crossrate::server::handlers {

// The 413 for a computed answer over --max-answer-bytes: `size` says how large ("would take up
// to 9000000 bytes"), `advice` what to cut.
Error answer_too_large(const std::string& size, const Config& config, std::string_view advice);

Reply index(const Call& call);
Reply currencies(const Call& call);
Reply rates(const Call& call);
Reply rates_series(const Call& call);
Reply rate_reports(const Call& call);
Reply rates_post(const Call& call);
Reply convert(const Call& call);
Reply convert_batch(const Call& call);
Reply sources(const Call& call);
Reply items(const Call& call);
Reply quotes(const Call& call);
Reply quotes_series(const Call& call);
Reply regimes(const Call& call);
Reply margins(const Call& call);
Reply margins_series(const Call& call);
Reply assumptions(const Call& call);
Reply claims(const Call& call);
Reply scenarios(const Call& call);
Reply quotes_post(const Call& call);
Reply sources_post(const Call& call);
Reply revisions(const Call& call);
Reply revision(const Call& call);
Reply events(const Call& call);
Reply healthz(const Call& call);
Reply readyz(const Call& call);
Reply metrics(const Call& call);
Reply openapi(const Call& call);

}  // namespace crossrate::server::handlers
