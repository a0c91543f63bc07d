#include "pricing/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace crossrate {

std::size_t edits_between(std::string_view a, std::string_view b) {
    const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    // Three rows of the dynamic programme: two back (for a swap), one back, this one.
    std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const bool same = lower(a[i - 1]) == lower(b[j - 1]);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
                current[j] = std::min(current[j], before[j - 2] + 1);
            }
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::vector<std::string> nearest_names(std::string_view word, const std::vector<std::string_view>& candidates) {
    const std::size_t limit = 1 + word.size() / 5;
    std::size_t best = limit + 1;
    std::vector<std::string> out;
    for (const auto c : candidates) {
        // Lengths further apart than the limit cannot be near.
        if ((c.size() > word.size() ? c.size() - word.size() : word.size() - c.size()) > limit) continue;
        const std::size_t d = edits_between(word, c);
        if (d == 0 || d > limit || d > best) continue;
        if (d < best) {
            best = d;
            out.clear();
        }
        if (out.size() < 3 && std::find(out.begin(), out.end(), c) == out.end()) out.emplace_back(c);
    }
    return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
    const auto near = nearest_names(word, candidates);
    if (near.empty()) return {};
    std::string text = " (did you mean ";
    for (std::size_t i = 0; i < near.size(); ++i) {
        if (i > 0) text += i + 1 == near.size() ? " or " : ", ";
        text += "'" + near[i] + "'";
    }
    return text + "?)";
}

}  // namespace crossrate
