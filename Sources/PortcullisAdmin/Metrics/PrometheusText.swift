import Foundation

/// A writer of the Prometheus text exposition format (version 0.0.4): `# HELP`, `# TYPE`, then one
/// line per sample with escaped label values. Checked against `prometheus_client`'s parser in the
/// integration tests.
public struct PrometheusText {
    /// Metric types.
    public enum Kind: String {
        case counter, gauge, histogram
    }

    public private(set) var text = ""

    /// An empty document.
    public init() {}

    /// Starts a family: `# HELP name help` and `# TYPE name kind`. Counters are named with `_total`.
    public mutating func family(_ name: String, _ kind: Kind, help: String) {
        let base = kind == .counter && name.hasSuffix("_total") ? String(name.dropLast(6)) : name
        self.text += "# HELP \(base) \(Self.escapeHelp(help))\n# TYPE \(base) \(kind.rawValue)\n"
    }

    /// One sample line: `name{k="v",…} value`.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        self.text += name
        if !labels.isEmpty {
            self.text += "{" + labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
        }
        self.text += " " + Self.format(value) + "\n"
    }

    /// A histogram's samples from per-bucket (not cumulative) counts; `upperBounds` excludes +Inf,
    /// `counts` has one more entry (the +Inf bucket).
    public mutating func histogram(
        _ name: String, _ labels: [(String, String)], upperBounds: [Double], counts: [Int], sum: Double
    ) {
        var cumulative = 0
        for (index, count) in counts.enumerated() {
            cumulative += count
            let bound = index < upperBounds.count ? Self.format(upperBounds[index]) : "+Inf"
            self.sample(name + "_bucket", labels + [("le", bound)], Double(cumulative))
        }
        self.sample(name + "_sum", labels, sum)
        self.sample(name + "_count", labels, Double(cumulative))
    }

    /// Integers without a fraction, others in Swift's shortest round-tripping form.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Label values escape backslash, double quote and newline.
    static func escapeLabel(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// HELP text escapes backslash and newline.
    static func escapeHelp(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
