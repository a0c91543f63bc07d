#pragma once
// Whether a sentence states a figure, for sources held only as excerpts: the loader cannot
// check a sentence against the page, so it checks that the sentence at least carries the
// number the record takes from it.

#include "pricing/decimal.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace crossrate {

// True when `sentence` writes `figure` as a number: with or without thousands separators
// ("17,550", "2.27", "$0.50"), scaled by a word after it ("12 million", "3.5m"), or as the
// first end of a range whose thousands the other end carries ("40-50,000" states 40,000).
bool states_figure(std::string_view sentence, const Decimal& figure);
// The first of `figures` that no sentence of `sentences` states, if any.
std::optional<Decimal> unstated_figure(std::span<const std::string> sentences, std::span<const Decimal> figures);

}  // namespace crossrate
