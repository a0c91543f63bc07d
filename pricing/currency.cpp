#include "pricing/currency.hpp"

#include "pricing/suggest.hpp"

#include <algorithm>

namespace crossrate {

std::optional<CurrencyCode> CurrencyCode::from_text(std::string_view text) noexcept {
    if (text.size() != 3) return std::nullopt;
    CurrencyCode code;
    for (std::size_t i = 0; i < 3; ++i) {
        char ch = text[i];
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
        if (ch < 'A' || ch > 'Z') return std::nullopt;
        code.letters_[i] = ch;
    }
    return code;
}

CurrencyTable::CurrencyTable(std::vector<Currency> currencies,
                             std::vector<std::pair<CurrencyCode, CurrencyCode>> aliases)
    : currencies_(std::move(currencies)), aliases_(std::move(aliases)) {
    std::sort(currencies_.begin(), currencies_.end(),
              [](const Currency& a, const Currency& b) { return a.code < b.code; });
}

const Currency* CurrencyTable::find(CurrencyCode code) const noexcept {
    const auto it = std::lower_bound(currencies_.begin(), currencies_.end(), code,
                                     [](const Currency& c, CurrencyCode k) { return c.code < k; });
    if (it != currencies_.end() && it->code == code) return &*it;
    for (const auto& [alias, target] : aliases_) {
        if (alias == code) return find(target);
    }
    return nullptr;
}

Result<const Currency*> CurrencyTable::find(std::string_view text) const {
    const auto code = CurrencyCode::from_text(text);
    if (!code) {
        return Error(Errc::unknown_currency,
                     "'" + std::string(text) + "' is not a currency code: expected three letters (ISO 4217)");
    }
    if (const Currency* c = find(*code)) return c;
    std::vector<std::string_view> known;
    std::vector<std::string> names;  // the views point into these
    names.reserve(currencies_.size() + aliases_.size());
    for (const auto& c : currencies_) names.push_back(c.code.str());
    for (const auto& [alias, target] : aliases_) names.push_back(alias.str());
    for (const auto& n : names) known.push_back(n);
    return Error(Errc::unknown_currency, "unknown currency '" + code->str() + "'" + did_you_mean(code->view(), known));
}

std::vector<CurrencyCode> CurrencyTable::aliases_of(CurrencyCode code) const {
    std::vector<CurrencyCode> out;
    for (const auto& [alias, target] : aliases_) {
        if (target == code) out.push_back(alias);
    }
    return out;
}

}  // namespace crossrate
