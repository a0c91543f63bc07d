#pragma once
// "Did you mean": the names nearest to one a user got wrong, by edits (a letter added, dropped,
// changed, or two neighbours swapped: "RBM" is one edit from "RMB"), case-insensitive.

#include <string>
#include <string_view>
#include <vector>

namespace crossrate {

// Edits between two words (optimal string alignment distance), ignoring case.
std::size_t edits_between(std::string_view a, std::string_view b);

// At most three candidates nearest to `word`, all at the smallest distance found, and none
// further than a fifth of the word's length plus one edit.
std::vector<std::string> nearest_names(std::string_view word, const std::vector<std::string_view>& candidates);

// " (did you mean 'RMB'?)", " (did you mean 'goat' or 'boat'?)", or "" when nothing is near.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace crossrate
