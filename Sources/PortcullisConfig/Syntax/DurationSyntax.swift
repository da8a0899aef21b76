/// Durations in `proxy.conf`: a positive number of seconds (`30`, `2.5`) or a string with a unit
/// (`"500ms"`, `"30s"`, `"5m"`, `"1h"`, `"1.5s"`).
enum DurationSyntax {
    /// Units accepted after the number, longest suffix first so `ms` wins over `s`.
    private static let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]

    /// What a duration may look like, for "expected …" messages.
    static let expectation = "a positive number of seconds or a duration such as \"500ms\", \"30s\" or \"5m\""

    /// Seconds for a string like `"500ms"`; nil unless it is a positive, finite number followed by a unit.
    static func seconds(from text: String) -> Double? {
        guard let unit = self.units.first(where: { text.hasSuffix($0.suffix) }) else { return nil }
        let number = text.dropLast(unit.suffix.count)
        guard self.isPlainDecimal(number), let value = Double(number) else { return nil }
        let seconds = value * unit.seconds
        return seconds > 0 && seconds.isFinite ? seconds : nil
    }

    /// Seconds for a bare TOML number; nil unless positive and finite.
    static func seconds(from number: Double) -> Double? {
        number > 0 && number.isFinite ? number : nil
    }

    /// Digits with at most one interior `.`: rejects signs, exponents, `inf`, blanks and `1.`.
    private static func isPlainDecimal(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
